using Sluice.Import;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// Test seam: the test server's <see cref="IImportSources"/>, serving each authorization id as a real folder on disk
/// (<c>{root}/{authId}</c>) through <see cref="LocalFolderSource"/>, since the SFTP sources are built elsewhere. An
/// unknown id is refused as a real source refuses it. <see cref="Wrap"/> lets a test put a fault into a file's bytes.
/// </summary>
internal sealed class FolderImportSources : IImportSources
{
    public string Root { get; } = Directory.CreateTempSubdirectory("sluice-import-src-").FullName;

    /// <summary>Wraps every stream opened for reading (a test's fault), or null to read files as they are.</summary>
    public Func<ImportFile, Stream, Stream>? Wrap { get; set; }

    public string Folder(string authId, string directory = "in")
    {
        var path = Path.Combine(Root, authId, directory);
        Directory.CreateDirectory(path);
        return path;
    }

    public Task<ImportSourceOpening> OpenAsync(string accountId, string authorizationId, CancellationToken ct)
    {
        var folder = Path.Combine(Root, authorizationId);
        if (authorizationId.Contains('.', StringComparison.Ordinal) || !Directory.Exists(folder))
        {
            return Task.FromResult(ImportSourceOpening.Refused("no import source for this authorization"));
        }
        return Task.FromResult(ImportSourceOpening.Opened(new Wrapped(new LocalFolderSource(folder), this)));
    }

    private sealed class Wrapped(LocalFolderSource inner, FolderImportSources owner) : IImportSource
    {
        public IImportDecryption? Decryption => inner.Decryption;

        public IAsyncEnumerable<ImportFile> ListAsync(string directory, CancellationToken ct) => inner.ListAsync(directory, ct);

        public async Task<Stream> OpenReadAsync(ImportFile file, CancellationToken ct)
        {
            var stream = await inner.OpenReadAsync(file, ct);
            return owner.Wrap is { } wrap ? wrap(file, stream) : stream;
        }

        public Task DeleteAsync(ImportFile file, CancellationToken ct) => inner.DeleteAsync(file, ct);

        public Task MoveAsync(ImportFile file, string directory, CancellationToken ct) => inner.MoveAsync(file, directory, ct);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
