using System.Runtime.CompilerServices;
using Renci.SshNet.Common;
using Renci.SshNet.Sftp;

namespace Sluice.Import.Sftp;

/// <summary>
/// A directory tree on an SFTP server, read over one logged-in connection (closed with the source). Paths are
/// relative to the login directory; files are streamed with SSH.NET's read-ahead, never downloaded first. Failures
/// come out as the exceptions any source throws (<see cref="SftpErrors"/>).
/// </summary>
internal sealed class SftpImportSource(SftpConnection connection, IImportDecryption? decryption) : IImportSource
{
    private readonly SemaphoreSlim _directories = new(1, 1);

    public IImportDecryption? Decryption => decryption;

    public async IAsyncEnumerable<ImportFile> ListAsync(string directory, [EnumeratorCancellation] CancellationToken ct)
    {
        var folder = RemotePath.Directory(directory);
        var entries = connection.Client.ListDirectoryAsync(folder, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                ISftpFile entry;
                try
                {
                    if (!await entries.MoveNextAsync()) break;
                    entry = entries.Current;
                }
                catch (Exception e) when (SftpErrors.IsSftp(e))
                {
                    throw SftpErrors.Translate(e, $"listing \"{directory}\"", directory: true);
                }
                // Directories, links and devices are not files to import; "." and ".." are directories.
                if (!entry.IsRegularFile) continue;
                yield return new ImportFile(RemotePath.Join(folder, entry.Name), entry.Name, entry.Length,
                    new DateTimeOffset(DateTime.SpecifyKind(entry.LastWriteTimeUtc, DateTimeKind.Utc)));
            }
        }
        finally
        {
            await entries.DisposeAsync();
        }
    }

    public async Task<Stream> OpenReadAsync(ImportFile file, CancellationToken ct)
    {
        var path = RemotePath.File(file.Path);
        try
        {
            return new SftpReadStream(await connection.Client.OpenAsync(path, FileMode.Open, FileAccess.Read, ct), file.Path);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"opening \"{file.Path}\"", directory: false);
        }
    }

    public async Task DeleteAsync(ImportFile file, CancellationToken ct)
    {
        try
        {
            await connection.Client.DeleteFileAsync(RemotePath.File(file.Path), ct);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"deleting \"{file.Path}\"", directory: false);
        }
    }

    public async Task MoveAsync(ImportFile file, string directory, CancellationToken ct)
    {
        var folder = RemotePath.Directory(directory);
        try
        {
            await EnsureDirectoryAsync(folder, ct);
            var target = RemotePath.Join(folder, file.Name);
            // The POSIX rename (an OpenSSH extension) replaces a file already there, as moving a re-uploaded file
            // should; SFTP's own rename refuses. SSH.NET offers it only synchronously.
            var posix = connection.Client.ConnectionInfo.ServerVersion?.Contains("OpenSSH", StringComparison.Ordinal) == true;
            await Task.Run(() => connection.Client.RenameFile(RemotePath.File(file.Path), target, posix), ct);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"moving \"{file.Path}\" to \"{directory}\"", directory: false);
        }
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
            var path = "";
            foreach (var part in folder.Split('/'))
            {
                path = path.Length == 0 ? part : path + "/" + part;
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
