using System.Runtime.CompilerServices;

namespace Sluice.Import;

/// <summary>
/// Files of a folder on this machine as an import source: what <c>sluice import csv</c> reads, and a source a
/// benchmark can swap for a remote one. Paths never leave the root folder.
/// </summary>
internal sealed class LocalFolderSource(string root, IImportDecryption? decryption = null) : IImportSource
{
    private readonly string _root = Path.GetFullPath(root);

    public IImportDecryption? Decryption => decryption;

    public async IAsyncEnumerable<ImportFile> ListAsync(string directory, [EnumeratorCancellation] CancellationToken ct)
    {
        var folder = Resolve(directory);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"no folder \"{directory}\" in the source");
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            ct.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (!info.Exists || info.Attributes.HasFlag(FileAttributes.Directory)) continue;
            yield return new ImportFile(Path.GetRelativePath(_root, path).Replace('\\', '/'), info.Name, info.Length, info.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(ImportFile file, CancellationToken ct) =>
        Task.FromResult<Stream>(new FileStream(Resolve(file.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));

    public Task DeleteAsync(ImportFile file, CancellationToken ct)
    {
        File.Delete(Resolve(file.Path));
        return Task.CompletedTask;
    }

    public Task MoveAsync(ImportFile file, string directory, CancellationToken ct)
    {
        var folder = Resolve(directory);
        Directory.CreateDirectory(folder);
        File.Move(Resolve(file.Path), Path.Combine(folder, file.Name), overwrite: true);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string Resolve(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (full != _root && !full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"\"{relative}\" is outside the source's folder");
        }
        return full;
    }
}
