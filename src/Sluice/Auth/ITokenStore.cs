namespace Sluice.Auth;

internal interface ITokenStore
{
    Task InsertAsync(AccessToken token, byte[] hash, CancellationToken ct);

    Task<AccessToken?> FindByHashAsync(byte[] hash, CancellationToken ct);

    Task<IReadOnlyList<AccessToken>> ListAsync(string accountId, CancellationToken ct);

    /// <summary>Revokes a token of the account; false when no such live token exists.</summary>
    Task<bool> RevokeAsync(string accountId, string tokenId, DateTimeOffset now, CancellationToken ct);

    Task TouchAsync(string tokenId, DateTimeOffset now, CancellationToken ct);
}
