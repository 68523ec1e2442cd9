using Sluice.Processing;

namespace Sluice.Profiles;

/// <summary>
/// One transaction of the profile processor. Its statements work on whole sets (every profile a batch touches is
/// loaded by one statement and saved by a few), because a statement costs microseconds of fixed overhead and a batch
/// touches thousands of profiles. Disposing without <see cref="CommitAsync"/> rolls back.
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

    /// <summary>The profiles with these ids that exist.</summary>
    Task<List<StoredProfile>> LoadAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct);

    /// <summary>Inserts or overwrites these profiles, by id.</summary>
    Task SaveAsync(IReadOnlyCollection<StoredProfile> profiles, CancellationToken ct);

    /// <summary>Removes a merged profile and records which profile absorbed it (earlier merges follow along).</summary>
    Task RecordMergeAsync(string accountId, long mergedId, long survivorId, long atMs, CancellationToken ct);

    Task CommitAsync(long position, CancellationToken ct);
}
