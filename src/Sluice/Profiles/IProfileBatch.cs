namespace Sluice.Profiles;

/// <summary>An identity value's row: the profile it points at and how many other values joined through it.</summary>
internal sealed record IdentityRow(long ProfileId, long Links);

/// <summary>One transaction of the profile processor. Disposing without <see cref="CommitAsync"/> rolls back.</summary>
internal interface IProfileBatch : IAsyncDisposable
{
    Task<long> PositionAsync(CancellationToken ct);

    Task<IdentityRow?> FindIdentityAsync(string accountId, string name, string value, CancellationToken ct);

    /// <summary>Inserts or overwrites an identity value's row.</summary>
    Task SaveIdentityAsync(string accountId, string name, string value, IdentityRow row, CancellationToken ct);

    /// <summary>Points every identity value of <paramref name="fromProfile"/> at <paramref name="toProfile"/>.</summary>
    Task RepointIdentitiesAsync(string accountId, long fromProfile, long toProfile, CancellationToken ct);

    Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct);

    /// <summary>Inserts a new profile and returns its id.</summary>
    Task<long> InsertAsync(StoredProfile profile, CancellationToken ct);

    Task UpdateAsync(StoredProfile profile, CancellationToken ct);

    /// <summary>Removes a merged profile and records which profile absorbed it (earlier merges follow along).</summary>
    Task RecordMergeAsync(string accountId, long mergedId, long survivorId, long atMs, CancellationToken ct);

    Task CommitAsync(long position, CancellationToken ct);
}
