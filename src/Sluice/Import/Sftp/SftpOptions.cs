using System.ComponentModel.DataAnnotations;

namespace Sluice.Import.Sftp;

/// <summary>Connections to SFTP servers (<c>Sluice:Sftp</c>).</summary>
internal sealed class SftpOptions
{
    /// <summary>TCP connect, key exchange and login together: an unreachable host fails in this time, not the OS's minutes.</summary>
    [Range(1, 600)]
    public int ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>Each SFTP request (list, open, read a block, rename); a server that stops answering fails the import.</summary>
    [Range(1, 3600)]
    public int OperationTimeoutSeconds { get; set; } = 60;

    public TimeSpan ConnectTimeout => TimeSpan.FromSeconds(ConnectTimeoutSeconds);

    public TimeSpan OperationTimeout => TimeSpan.FromSeconds(OperationTimeoutSeconds);
}
