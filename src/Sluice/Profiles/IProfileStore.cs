namespace Sluice.Profiles;

internal interface IProfileStore
{
    /// <summary>Starts a unit of work for one partition: profile changes and the new log position commit together.</summary>
    Task<IProfileBatch> BeginBatchAsync(int partition, CancellationToken ct);

    Task<long?> FindProfileIdAsync(string accountId, string identityName, string identityValue, CancellationToken ct);

    /// <summary>A profile by id; the id of a profile merged into another resolves to the survivor.</summary>
    Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct);

    Task<long> PositionAsync(int partition, CancellationToken ct);

    /// <summary>
    /// Forgets every profile, identity value and merge, and sets every partition to resume after log position
    /// <paramref name="fromPosition"/> - 1: processing then rebuilds the profiles from the log.
    /// </summary>
    Task ResetAsync(long fromPosition, int partitions, CancellationToken ct);

    /// <summary>Removes a profile, every identity value pointing at it and its merge records.</summary>
    Task DeleteAsync(string accountId, long profileId, CancellationToken ct);
}
