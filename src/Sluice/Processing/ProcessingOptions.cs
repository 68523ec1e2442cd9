using System.ComponentModel.DataAnnotations;

namespace Sluice.Processing;

/// <summary>Event processing (section <c>Sluice:Processing</c>).</summary>
internal sealed class ProcessingOptions
{
    /// <summary>
    /// Number of partition grains. An account's events all go to one partition, so that identity resolution
    /// for an account never needs coordination between partitions.
    /// </summary>
    [Range(1, 4096)]
    public int Partitions { get; set; } = 8;

    /// <summary>Events read from the log and applied per transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>How often every partition is nudged to catch up, in case a notification was lost.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
