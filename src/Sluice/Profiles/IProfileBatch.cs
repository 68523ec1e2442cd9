namespace Sluice.Profiles;

/// <summary>One transaction of the profile processor. Disposing without <see cref="CommitAsync"/> rolls back.</summary>
internal interface IProfileBatch : IAsyncDisposable
{
    Task<long> PositionAsync(CancellationToken ct);

    Task<long?> FindProfileIdAsync(string accountId, string identityName, string identityValue, CancellationToken ct);

    Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct);

    /// <summary>Inserts a new profile and returns its id.</summary>
    Task<long> InsertAsync(StoredProfile profile, CancellationToken ct);

    Task UpdateAsync(StoredProfile profile, CancellationToken ct);

    Task AddIdentityAsync(string accountId, string identityName, string identityValue, long profileId, CancellationToken ct);

    Task CommitAsync(long position, CancellationToken ct);
}
