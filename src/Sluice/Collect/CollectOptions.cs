using System.ComponentModel.DataAnnotations;

namespace Sluice.Collect;

/// <summary>Limits of the collect API (section <c>Sluice:Collect</c>).</summary>
internal sealed class CollectOptions
{
    /// <summary>Largest accepted request body of <c>/c</c> and <c>/collect/json</c>, in bytes.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 1_000_000)]
    public int MaxEventsPerRequest { get; set; } = 10_000;

    /// <summary>
    /// Largest <c>/collect/bulk</c> upload in bytes, counted after decompression for a gzip body (0: no limit).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxBulkBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>
    /// Most a gzip bulk upload may inflate, decompressed bytes per compressed byte, once
    /// <see cref="Bulk.InflationGuardStream.RatioCheckAfterBytes"/> have been inflated (0: no check). A Braze segment
    /// export compresses about 4 to 1; a hundred times that is a file built to inflate, not data.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxBulkCompressionRatio { get; set; } = 100;
}
