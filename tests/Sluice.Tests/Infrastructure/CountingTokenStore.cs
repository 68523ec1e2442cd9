using Sluice.Auth;

namespace Sluice.Tests.Infrastructure;

/// <summary>The token store, counting the lookups by hash that authentication makes.</summary>
internal sealed class CountingTokenStore(ITokenStore inner) : ITokenStore, IDisposable
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public Task<AccessToken?> FindByHashAsync(byte[] hash, CancellationToken ct)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindByHashAsync(hash, ct);
    }

    public Task InsertAsync(AccessToken token, byte[] hash, CancellationToken ct) => inner.InsertAsync(token, hash, ct);

    public Task<IReadOnlyList<AccessToken>> ListAsync(string accountId, CancellationToken ct) => inner.ListAsync(accountId, ct);

    public Task<bool> RevokeAsync(string accountId, string tokenId, DateTimeOffset now, CancellationToken ct) => inner.RevokeAsync(accountId, tokenId, now, ct);

    public Task TouchAsync(string tokenId, DateTimeOffset now, CancellationToken ct) => inner.TouchAsync(tokenId, now, ct);

    public Task<long> RevocationsAsync(CancellationToken ct) => inner.RevocationsAsync(ct);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
