using Sluice.Processing;

namespace Sluice.Profiles;

internal interface IProfileStore
{
    /// <summary>Starts a write transaction for one partition's processor: its changes and log position commit together.</summary>
    Task<IProfileBatch> BeginBatchAsync(int partition, CancellationToken ct);

    /// <summary>A profile by id; the id of a profile merged into another resolves to the survivor.</summary>
    Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct);

    /// <summary>One profile's stored row (document still encoded); a merged id resolves to its survivor.</summary>
    Task<CachedProfile?> LoadRowAsync(string accountId, long profileId, CancellationToken ct);

    /// <summary>The stored rows of the profiles with these ids that exist (documents still encoded).</summary>
    Task<List<CachedProfile>> LoadRowsAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct);

    /// <summary>A page of an account's profiles in id order, after <paramref name="afterId"/> (documents still encoded).</summary>
    Task<IReadOnlyList<CachedProfile>> ScanAsync(string accountId, long afterId, int limit, CancellationToken ct);

    /// <summary>How many profiles an account has in the store (as of the last checkpoint), without reading them.</summary>
    Task<long> CountAsync(string accountId, CancellationToken ct);

    /// <summary>The partition's checkpointed log position and its generation (bumped by a reprocess).</summary>
    Task<(long Position, long Generation)> PositionAsync(int partition, CancellationToken ct);

    /// <summary>
    /// Forgets every profile, identity value and merge, and sets every partition to resume after log position
    /// <paramref name="fromPosition"/> - 1 in a new generation: processing then rebuilds the profiles from the log.
    /// </summary>
    Task ResetAsync(long fromPosition, int partitions, CancellationToken ct);

}
