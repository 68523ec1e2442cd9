namespace Sluice.Import.Sftp.Managed;

/// <summary>The managed SFTP server's folder: host key, sshd configuration and pid file, and one folder per drop box.</summary>
internal sealed class ManagedSftpFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Boxes => Path.Combine(Root, "boxes");

    public string HostKey => Path.Combine(Root, "ssh_host_ed25519_key");

    public string Config => Path.Combine(Root, "sshd_config");

    public string PidFile => Path.Combine(Root, "sshd.pid");

    public string Box(string user) => Path.Combine(Boxes, user);

    public void Create()
    {
        const UnixFileMode RootOnlyWrites = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(Boxes);
        SetMode(Root, RootOnlyWrites);
        SetMode(Boxes, RootOnlyWrites);
    }

    /// <summary>Drop boxes need sshd, so a POSIX system; on Windows there is nothing to set.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// Why sshd would refuse to chroot below <see cref="Root"/>: the first folder on its path (that exists) writable by
    /// group or others. Ownership is left to sshd, which names the folder in its log.
    /// </summary>
    public string? Unsafe()
    {
        const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & OthersWrite) != 0) return $"{dir.FullName} is writable by others";
        }
        return null;
    }
}
