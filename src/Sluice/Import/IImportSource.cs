namespace Sluice.Import;

/// <summary>
/// A place an import job reads files from: a directory on the customer's SFTP server, a managed drop box, or a local
/// folder (the <c>sluice import csv</c> command). Files are read as streams of their stored bytes: the job decrypts and
/// decompresses them on the fly, so memory never grows with a file's size.
/// </summary>
internal interface IImportSource : IAsyncDisposable
{
    /// <summary>The regular files of <paramref name="directory"/> (relative to the source's root), not recursive.</summary>
    IAsyncEnumerable<ImportFile> ListAsync(string directory, CancellationToken ct);

    /// <summary>Opens a listed file for reading, from its first byte.</summary>
    Task<Stream> OpenReadAsync(ImportFile file, CancellationToken ct);

    Task DeleteAsync(ImportFile file, CancellationToken ct);

    /// <summary>Moves a file into <paramref name="directory"/> (created when missing), keeping its name.</summary>
    Task MoveAsync(ImportFile file, string directory, CancellationToken ct);

    /// <summary>How this source decrypts <c>.pgp</c>, <c>.gpg</c> and <c>.asc</c> files; null when it has no key.</summary>
    IImportDecryption? Decryption { get; }
}

/// <summary>A file as the source lists it: enough to tell a new file from one already imported.</summary>
/// <param name="Path">The path to open it by, relative to the source's root.</param>
internal sealed record ImportFile(string Path, string Name, long Size, DateTimeOffset Modified);

/// <summary>Decrypts (and, with a signer's public key, verifies) an encrypted file as a stream.</summary>
internal interface IImportDecryption
{
    /// <summary>
    /// The plaintext of <paramref name="encrypted"/>, read on demand. A signature that does not verify fails the read
    /// at its end with <see cref="InvalidDataException"/>, so a tampered file is never marked imported.
    /// </summary>
    Stream Decrypt(Stream encrypted);
}

/// <summary>Opens the source behind an authorization, for an import job of its account.</summary>
internal interface IImportSources
{
    /// <summary>
    /// The source, or the reason it cannot serve imports (unknown authorization, a public-key-only authorization,
    /// a host key that does not match the pinned one, a refused login).
    /// </summary>
    Task<ImportSourceOpening> OpenAsync(string accountId, string authorizationId, CancellationToken ct);
}

internal sealed record ImportSourceOpening(IImportSource? Source, string? Error)
{
    public static ImportSourceOpening Opened(IImportSource source) => new(source, null);

    public static ImportSourceOpening Refused(string error) => new(null, error);
}
