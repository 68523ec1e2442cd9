namespace Sluice.Import.Sftp;

/// <summary>
/// Paths on an SFTP server as a job names them: relative to the login directory ("in", "in/done"), '/'-separated.
/// ".." is refused so that a job config cannot climb out of the directory it was given (as a local folder source refuses it).
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
        if (parts.Length == 0) throw new FileNotFoundException("a file path is required");
        return string.Join('/', parts);
    }

    public static string Join(string folder, string name) => folder == "." ? name : folder + "/" + name;

    private static string[] Parts(string? path)
    {
        var parts = (path ?? "").Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        // The exception a local folder source throws for a path outside it, so that jobs handle both alike.
        if (parts.Contains("..")) throw new UnauthorizedAccessException($"\"{path}\" climbs out of the source's login directory (\"..\")");
        if (parts.Any(p => p.Any(char.IsControl))) throw new UnauthorizedAccessException("a path with control characters is not allowed");
        return parts;
    }
}
