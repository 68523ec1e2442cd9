using Sluice.Processing;

namespace Sluice.Profiles;

/// <summary>
/// One write transaction of a partition's processor: loading its state, or a checkpoint. Statements work on whole
/// sets, because a statement costs microseconds of fixed overhead and a checkpoint writes thousands of profiles.
/// Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
internal interface IProfileBatch : IAsyncDisposable
{
    /// <summary>The partition's committed log position and its generation (bumped by a reprocess).</summary>
    Task<(long Position, long Generation)> PositionAsync(CancellationToken ct);

    /// <summary>Applies the partition's identity journal in the order it was written; returns how many entries it held.</summary>
    Task<long> ReadIdentityJournalAsync(Action<IdentityEntry> apply, CancellationToken ct);

    /// <summary>Replaces the partition's identity journal with the given live entries.</summary>
    Task RewriteIdentityJournalAsync(IReadOnlyList<IdentityEntry> live, CancellationToken ct);

    /// <summary>Appends identity values' new entries to the journal.</summary>
    Task AppendIdentityJournalAsync(IReadOnlyCollection<IdentityEntry> entries, CancellationToken ct);

    /// <summary>The largest profile id ever handed out (ids are never reused, so a merged-away id keeps resolving).</summary>
    Task<long> LastProfileIdAsync(CancellationToken ct);

    /// <summary>Inserts the new profiles and overwrites the others, by id.</summary>
    Task SaveAsync(IReadOnlyCollection<CachedProfile> profiles, CancellationToken ct);

    /// <summary>Removes a merged profile and records which profile absorbed it (earlier merges follow along).</summary>
    Task RecordMergeAsync(string accountId, long mergedId, long survivorId, long atMs, CancellationToken ct);

    /// <summary>Appends audience changes to the partition's feed (numbered after its last entry) and to the audiences' sizes.</summary>
    Task AppendMembershipAsync(Audiences.MembershipDelta delta, CancellationToken ct);

    /// <summary>
    /// Removes a profile, its merge records and audience timer, and every identity journal entry of the
    /// partition for the <paramref name="erased"/> values (account, key and value). Nothing is journalled in their
    /// place: with all of a value's entries gone, a reload no more knows it than the index it replaces.
    /// </summary>
    Task DeleteProfileAsync(string accountId, long profileId, IReadOnlyCollection<IdentityEntry> erased, CancellationToken ct);

    /// <summary>Applies the partition's audience timer changes: a new instant per profile, or none (null) to drop it.</summary>
    Task SaveTimersAsync(IReadOnlyDictionary<long, (string AccountId, long? DueMs)> changes, CancellationToken ct);

    /// <summary>The partition's stored audience timers.</summary>
    Task ReadTimersAsync(Action<long, string, long> apply, CancellationToken ct);

    /// <summary>
    /// Adds the checkpoint's events to their streams' lag minutes (counts add up, the longest lag is kept, the 95th
    /// percentile is replaced), and removes minutes before <paramref name="pruneBeforeMs"/> when given.
    /// </summary>
    Task SaveStreamLagAsync(IReadOnlyList<Processing.Lag.StreamLagMinute> minutes, long? pruneBeforeMs, CancellationToken ct);

    Task CommitAsync(long position, CancellationToken ct);
}
