namespace Sluice.Auth;

internal interface ITokenStore
{
    Task InsertAsync(AccessToken token, byte[] hash, CancellationToken ct);

    Task<AccessToken?> FindByHashAsync(byte[] hash, CancellationToken ct);

    Task<IReadOnlyList<AccessToken>> ListAsync(string accountId, CancellationToken ct);

    /// <summary>Revokes a token of the account; false when no such live token exists.</summary>
    Task<bool> RevokeAsync(string accountId, string tokenId, DateTimeOffset now, CancellationToken ct);

    Task TouchAsync(string tokenId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// A number that changes whenever a stored token may have become unusable: from the next call on after a
    /// <see cref="RevokeAsync"/> by any process on the store; a change made to the storage behind the store's back
    /// may take a moment (the SQLite store: a second). Read on every cached authentication, so it must cost microseconds.
    /// </summary>
    Task<long> RevocationsAsync(CancellationToken ct);
}
