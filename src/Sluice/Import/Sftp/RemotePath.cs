namespace Sluice.Import.Sftp;

/// <summary>
/// Paths on an SFTP server as a job names them: relative to the login directory ("in", "in/done"), '/'-separated.
/// ".." is refused so that a job config cannot climb out of the directory it was given.
/// </summary>
internal static class RemotePath
{
    public static string Directory(string? directory)
    {
        var parts = Parts(directory);
        return parts.Length == 0 ? "." : string.Join('/', parts);
    }

    public static string File(string path)
    {
        var parts = Parts(path);
        if (parts.Length == 0) throw new ArgumentException("a file path is required", nameof(path));
        return string.Join('/', parts);
    }

    public static string Join(string folder, string name) => folder == "." ? name : folder + "/" + name;

    private static string[] Parts(string? path)
    {
        var parts = (path ?? "").Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains("..")) throw new ArgumentException("a path with \"..\" is not allowed", nameof(path));
        if (parts.Any(p => p.Any(char.IsControl))) throw new ArgumentException("a path with control characters is not allowed", nameof(path));
        return parts;
    }
}
