using System.ComponentModel.DataAnnotations;

namespace Sluice.Import.Sftp.Managed;

/// <summary>The SFTP server Sluice runs for managed drop boxes (<c>Sluice:Sftp:Managed</c>).</summary>
internal sealed class ManagedSftpOptions
{
    /// <summary>Off by default: it needs root and OpenSSH, and opens a port.</summary>
    public bool Enabled { get; set; }

    /// <summary>The port sshd listens on; 0 picks a free one at start (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 2022;

    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The host name shown with the credentials, when people reach the server by another name than its address.</summary>
    public string? PublicHost { get; set; }

    /// <summary>
    /// Where the host key, sshd's configuration and the drop boxes live; by default <c>sftp</c> in the data folder.
    /// Every folder on its path must be root-owned and writable by nobody else, or sshd refuses to chroot below it
    /// (which rules out <c>/tmp</c>).
    /// </summary>
    public string? DataFolder { get; set; }

    public string SshdPath { get; set; } = "/usr/sbin/sshd";
}
