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

    /// <summary>
    /// Most events read from the log and applied per batch. A caught-up partition takes whatever arrived since its last
    /// batch, so this only bounds catch-up batches. Batches apply in memory (checkpoints write to the store), and a
    /// batch's decoded profiles are what the garbage collector has to copy when it runs mid-batch: in the processing
    /// benchmark 1,000 beat 5,000 by a quarter (GC pauses 3.7 s instead of 8.8 s), and 300 was no better than 1,000.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// Longest time a partition with a backlog goes without writing its profiles to the store. Until then they live
    /// in memory (the log is the source of truth; a crash replays from the last checkpoint), so a bulk backlog
    /// writes each profile once per checkpoint instead of once per batch.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Memory per partition for encoded profiles (each counted with its entry's overhead). Changed profiles are
    /// checkpointed when they fill half of it; clean ones beyond it are evicted after a checkpoint, those no batch read
    /// again first, and read from the store when next needed. During a burst of new people (an import) new profiles
    /// are checkpointed at an eighth of it and those no batch read again are kept to an eighth (<see cref="ProfileCache"/>).
    /// </summary>
    [Range(1, 1_048_576)]
    public int ProfileCacheMegabytes { get; set; } = 512;

    /// <summary>Readiness fails while a partition's last this many attempts failed (the store or the disk, not an event).</summary>
    [Range(1, 1000)]
    public int ReadinessFailures { get; set; } = 3;

    /// <summary>Readiness reports degraded while a partition's oldest unprocessed event was received longer ago than this.</summary>
    public TimeSpan ReadinessMaxLag { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Shortest time between two notifications of a partition that new events are in the log. A live partition applies
    /// and checkpoints what arrived in one window as one batch, instead of one small batch per group commit (a webhook
    /// burst commits hundreds of groups a second). A partition that was quiet is notified at once, so this bounds the
    /// added lag; zero notifies after every commit.
    /// </summary>
    public TimeSpan LiveBatchWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often every partition is nudged to catch up, in case a notification was lost.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
