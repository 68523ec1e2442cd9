using System.IO.Compression;
using System.Runtime.CompilerServices;
using Sluice.Collect.Bulk;

namespace Sluice.Import;

/// <summary>
/// Opens a file of a source as the CSV texts inside it, on the fly: decrypted when its name ends <c>.pgp</c>,
/// <c>.gpg</c> or <c>.asc</c>, then inflated for <c>.gz</c>, or each CSV entry of a <c>.zip</c>. Every stored byte is
/// hashed on the way in (<see cref="HashingStream"/>).
/// </summary>
/// <remarks>
/// A zip's directory is at its end, so a zip that is not seekable as it arrives (every remote or decrypted one) is
/// first copied to a temporary file: disk, not memory, grows with its size.
/// </remarks>
internal sealed class ImportFileReader : IAsyncDisposable
{
    private static readonly string[] EncryptedExtensions = [".pgp", ".gpg", ".asc"];

    private static readonly string[] CsvExtensions = [".csv", ".tsv", ".txt"];

    private readonly ImportFile _file;
    private readonly Stream _plain;
    private readonly string _plainName;
    private readonly int _maxRatio;

    private ImportFileReader(ImportFile file, HashingStream raw, Stream plain, string plainName, int maxRatio)
    {
        _file = file;
        Raw = raw;
        _plain = plain;
        _plainName = plainName;
        _maxRatio = maxRatio;
    }

    /// <summary>The file's bytes as stored: how far the read is, and their hash at the end.</summary>
    public HashingStream Raw { get; }

    public static bool IsEncrypted(string name) => EncryptedExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <param name="maxRatio">Most inflated bytes per compressed byte of a <c>.gz</c> (a compression bomb is refused); 0 for no check.</param>
    public static async Task<ImportFileReader> OpenAsync(IImportSource source, ImportFile file, int maxRatio, CancellationToken ct)
    {
        var raw = new HashingStream(await source.OpenReadAsync(file, ct));
        Stream plain = raw;
        var name = file.Name;
        if (IsEncrypted(name))
        {
            if (source.Decryption is not { } decryption)
            {
                await raw.DisposeAsync();
                throw new ImportFileException($"{file.Name} is encrypted, but its authorization has no PGP private key to decrypt it (use a client_pgp authorization)");
            }
            plain = decryption.Decrypt(raw);
            name = name[..name.LastIndexOf('.')];
        }
        return new ImportFileReader(file, raw, plain, name, maxRatio);
    }

    /// <summary>The CSV texts of the file, in order, each with the name its refused rows are reported under.</summary>
    public async IAsyncEnumerable<(string Name, Stream Csv)> PartsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (_plainName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            await using var inflated = new InflationGuardStream(_plain, 0, _maxRatio);
            yield return (_file.Name, inflated);
            yield break;
        }
        if (!_plainName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            yield return (_file.Name, _plain);
            yield break;
        }

        Stream seekable = _plain;
        if (!_plain.CanSeek)
        {
            var spool = Path.Combine(Path.GetTempPath(), $"sluice-import-{Guid.NewGuid():N}.zip");
            var copy = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await _plain.CopyToAsync(copy, ct);
            copy.Position = 0;
            seekable = copy;
        }
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new ImportFileException($"{_file.Name} is not a valid zip archive", e);
        }
        using (zip)
        {
            await using var _ = seekable == _plain ? null : seekable;
            foreach (var entry in zip.Entries)
            {
                // Folders, and the resource forks macOS adds to archives, hold no rows.
                if (entry.FullName.EndsWith('/') || entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)) continue;
                if (!CsvExtensions.Any(e => entry.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase))) continue;
                if (_maxRatio > 0 && entry.Length > InflationGuardStream.RatioCheckAfterBytes && entry.Length > entry.CompressedLength * _maxRatio)
                {
                    throw new ImportFileException(
                        $"{_file.Name}/{entry.FullName} inflates more than {_maxRatio} to 1, so it is refused as a compression bomb");
                }
                await using var text = entry.Open();
                yield return ($"{_file.Name}/{entry.FullName}", text);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_plain != Raw) await _plain.DisposeAsync();
        await Raw.DisposeAsync();
    }
}
