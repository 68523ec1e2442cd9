using System.Runtime.CompilerServices;
using Renci.SshNet.Common;

namespace Sluice.Import.Sftp;

/// <summary>
/// A directory tree on an SFTP server, read over one logged-in connection (closed with the source). Paths are
/// relative to the login directory; files are streamed with SSH.NET's read-ahead, never downloaded first.
/// </summary>
internal sealed class SftpImportSource(SftpConnection connection, IImportDecryption? decryption) : IImportSource
{
    private readonly SemaphoreSlim _directories = new(1, 1);

    public IImportDecryption? Decryption => decryption;

    public async IAsyncEnumerable<ImportFile> ListAsync(string directory, [EnumeratorCancellation] CancellationToken ct)
    {
        var folder = RemotePath.Directory(directory);
        await foreach (var entry in connection.Client.ListDirectoryAsync(folder, ct))
        {
            // Directories, links and devices are not files to import; "." and ".." are directories.
            if (!entry.IsRegularFile) continue;
            yield return new ImportFile(RemotePath.Join(folder, entry.Name), entry.Name, entry.Length,
                new DateTimeOffset(DateTime.SpecifyKind(entry.LastWriteTimeUtc, DateTimeKind.Utc)));
        }
    }

    public async Task<Stream> OpenReadAsync(ImportFile file, CancellationToken ct) =>
        await connection.Client.OpenAsync(RemotePath.File(file.Path), FileMode.Open, FileAccess.Read, ct);

    public Task DeleteAsync(ImportFile file, CancellationToken ct) => connection.Client.DeleteFileAsync(RemotePath.File(file.Path), ct);

    public async Task MoveAsync(ImportFile file, string directory, CancellationToken ct)
    {
        var folder = RemotePath.Directory(directory);
        await EnsureDirectoryAsync(folder, ct);
        var target = RemotePath.Join(folder, file.Name);
        // The POSIX rename (an OpenSSH extension) replaces a file already there, as moving a re-uploaded file should;
        // SFTP's own rename refuses. SSH.NET offers it only synchronously.
        var posix = connection.Client.ConnectionInfo.ServerVersion?.Contains("OpenSSH", StringComparison.Ordinal) == true;
        await Task.Run(() => connection.Client.RenameFile(RemotePath.File(file.Path), target, posix), ct);
    }

    public ValueTask DisposeAsync()
    {
        connection.Dispose();
        _directories.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates each missing level of <paramref name="folder"/>, one caller at a time.</summary>
    private async Task EnsureDirectoryAsync(string folder, CancellationToken ct)
    {
        if (folder == ".") return;
        await _directories.WaitAsync(ct);
        try
        {
            var path = folder.StartsWith('/') ? "" : ".";
            foreach (var part in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                path = path.Length == 0 ? "/" + part : path + "/" + part;
                if (await connection.Client.ExistsAsync(path, ct)) continue;
                try
                {
                    await connection.Client.CreateDirectoryAsync(path, ct);
                }
                catch (SshException)
                {
                    // Another client may have made it in between, which is all we wanted; otherwise the failure stands.
                    if (!await connection.Client.ExistsAsync(path, ct)) throw;
                }
            }
        }
        finally
        {
            _directories.Release();
        }
    }
}
