using System.IO.Compression;
using Sluice.IO;

namespace Sluice.Collect.Bulk;

/// <summary>
/// Inflates a gzip body while counting both sides: more than <c>maxBytes</c> decompressed, or a compression ratio
/// above <c>maxRatio</c> once <see cref="RatioCheckAfterBytes"/> are out, ends reading with
/// <see cref="InflationLimitException"/>. A limit on the compressed size alone lets 50 KiB become a million rows.
/// </summary>
internal sealed class InflationGuardStream : ReadThroughStream
{
    /// <summary>
    /// Below this the ratio is not judged: a small file of repeated rows may inflate a lot and still cost nothing.
    /// </summary>
    public const long RatioCheckAfterBytes = 4L * 1024 * 1024;

    private readonly CountingStream _compressed;
    private readonly GZipStream _inflate;
    private readonly long _maxBytes;
    private readonly int _maxRatio;

    /// <param name="maxBytes">Most decompressed bytes; 0 or less for no limit.</param>
    /// <param name="maxRatio">Most decompressed bytes per compressed byte; 0 or less for no check.</param>
    public InflationGuardStream(Stream compressed, long maxBytes, int maxRatio)
    {
        _compressed = new CountingStream(compressed);
        _inflate = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true);
        _maxBytes = maxBytes;
        _maxRatio = maxRatio;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inflate.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        if (_maxBytes > 0 && BytesRead > _maxBytes)
        {
            throw new InflationLimitException(
                $"the upload inflates to more than the limit of {_maxBytes} bytes (Sluice:Collect:MaxBulkBytes counts decompressed bytes)");
        }
        if (_maxRatio > 0 && BytesRead > RatioCheckAfterBytes && BytesRead > _compressed.BytesRead * _maxRatio)
        {
            throw new InflationLimitException(
                $"the upload inflates more than {_maxRatio} to 1 ({_compressed.BytesRead} compressed bytes gave {BytesRead}); " +
                "real CSV or NDJSON compresses far less, so it is refused as a compression bomb (Sluice:Collect:MaxBulkCompressionRatio)");
        }
        return read;
    }

    // Reading is asynchronous only: ASP.NET Core request bodies refuse synchronous reads.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inflate.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inflate.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Counts the bytes read through it, here the compressed bytes the inflater took.</summary>
    private sealed class CountingStream(Stream inner) : ReadThroughStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
