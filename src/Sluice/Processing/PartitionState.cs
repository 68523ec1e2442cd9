using System.Collections.Immutable;

namespace Sluice.Processing;

/// <summary>
/// What a partition's processor holds in memory: the identity index, the profile cache, and what changed since the
/// last checkpoint (identity values to journal, merges to record). Batches apply events here; a checkpoint writes the
/// changes, the merges and the log position in one transaction. The log is the source of truth, so anything lost
/// with the process (or dropped by <see cref="Invalidate"/> after a failure) is replayed from the checkpointed position.
/// </summary>
/// <para>
/// One owner: the partition grain's activation creates it and lets it go on deactivation (tests and benchmarks hold
/// their own), so a partition that moves to another node leaves nothing behind here.
/// </para>
internal sealed class PartitionState(int partition) : IAsyncDisposable
{
    public int Partition { get; } = partition;

    public IdentityIndex Index { get; } = new();

    public ProfileCache Profiles { get; } = new();

    /// <summary>
    /// Identity index changes since the last checkpoint, in order. A value changed twice is listed twice: the journal's
    /// last entry wins on load, and appending is cheaper than keeping a set.
    /// </summary>
    public ChunkedList<IdentityEntry> PendingIdentities { get; } = new();

    public List<(string Account, long Loser, long Survivor, long AtMs)> PendingMerges { get; } = [];

    /// <summary>When date math alone may next move each profile in or out of an audience.</summary>
    public AudienceTimers Timers { get; } = new();

    /// <summary>Audience enter and exit changes since the last checkpoint, in the order the feed will list them.</summary>
    public Audiences.PendingMembership PendingMembership { get; } = new();

    /// <summary>The lag from collect to profile of the events applied, per stream and minute, written with checkpoints.</summary>
    public Sluice.Processing.Lag.StreamLagRecorder Lag { get; } = new();

    /// <summary>The stored position and generation this state was loaded at or last checkpointed; null when not loaded.</summary>
    public (long Position, long Generation)? Checkpointed { get; set; }

    /// <summary>The last log position applied to this state (ahead of <see cref="Checkpointed"/> between checkpoints).</summary>
    public long Applied { get; set; }

    /// <summary>The next batch, read and mapped while the current one applied: the log position it follows, and the work.</summary>
    public (long After, Task<ReadBatch> Batch)? Prefetched { get; set; }

    /// <summary>Positions set aside (dead letters) that processing skips; loaded with the state, immutable so a read ahead can hold it.</summary>
    public ImmutableHashSet<long> SetAside { get; set; } = [];

    /// <summary>
    /// After a batch failed without saying which event caused it: the positions it covered, applied one event at a
    /// time until passed, so that the one that fails again is set aside. Survives <see cref="Invalidate"/>.
    /// </summary>
    public (long First, long Last)? Isolating { get; set; }

    /// <summary>The largest profile id handed out.</summary>
    public long LastProfileId { get; set; }

    public long LastCheckpointTimestamp { get; set; }

    /// <summary>
    /// The last batch read fewer events than a batch holds and applied all of them: the partition was at the head of
    /// the log when it read, so the drain stops there instead of reading an empty batch to find out.
    /// </summary>
    public bool CaughtUp { get; set; }

    /// <summary>Profiles a batch needed that were not in the cache (evicted, or untouched since this node loaded).</summary>
    public long CacheMisses { get; set; }

    public bool IsLoaded => Checkpointed is not null;

    public bool HasPendingWork =>
        Applied != Checkpointed?.Position || Profiles.DirtyCount > 0 || PendingMerges.Count > 0 || PendingIdentities.Count > 0 || PendingMembership.Count > 0 || Timers.Pending.Count > 0;

    /// <summary>Starts reading the next batch ahead; the read is awaited by <see cref="DisposeAsync"/> if never used.</summary>
    public void ReadAhead(long after, Task<ReadBatch> read)
    {
        Prefetched = (after, read);
        _reads.Add(read);
        _reads.RemoveAll(t => t.IsCompleted);
    }

    /// <summary>Waits for reads still in flight, so that nothing touches the store after its owner let go of it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_reads);
        }
        catch (Exception)
        {
            // A read ahead that failed was never going to be used; its batch rereads.
        }
    }

    private readonly List<Task> _reads = [];

    /// <summary>Forgets everything: the next batch reloads from the store and replays from the checkpointed position.</summary>
    public void Invalidate()
    {
        Checkpointed = null;
        // A read in flight finishes on its own; nothing will ask for its result.
        Prefetched = null;
        Index.Clear();
        Profiles.Clear();
        PendingIdentities.Clear();
        PendingMerges.Clear();
        PendingMembership.Clear();
        Timers.Clear();
        Lag.Discard();
        SetAside = [];
    }
}
