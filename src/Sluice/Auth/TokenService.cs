using System.Collections.Concurrent;
using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>
/// Creates, validates and revokes access tokens. Validation is on the hot collect path, so successful lookups are
/// cached briefly. A cache hit still asks the store for its revocation counter and looks the token up again when it
/// moved, so a revocation anywhere (this node, another node, the CLI) takes effect at the next request. The SQLite
/// store answers that from a memory-mapped signal that revocations raise, not from a read per request (see
/// <c>SqliteTokenStore.RevocationsAsync</c>). <c>last_used</c> is written when a cache entry is refreshed, so it is
/// accurate to <see cref="CacheTtl"/> without a write per request.
/// </summary>
/// <para>
/// The cache is keyed by the secret as presented, so a hit costs a dictionary lookup, not a SHA-256 and a hex string
/// (a sixth of the request path's own cost in a webhook burst). Only tokens the store accepted get an entry, so the
/// cache holds no more secrets than clients are already sending; the store itself only ever holds hashes.
/// </para>
internal sealed class TokenService(ITokenStore store, IAccountStore accounts, TimeProvider time)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (AccessToken Token, Account Account, DateTimeOffset FetchedAt, long Revocations)> _cache = new(StringComparer.Ordinal);

    public async Task<CreatedToken> CreateAsync(
        string accountId, string name, string? description, IReadOnlyList<Role> roles, TimeSpan? lifetime, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var secret = TokenSecret.New();
        var token = new AccessToken(
            Guid.NewGuid().ToString("N"), accountId, name, description, roles, now, now + lifetime, null, null);
        await store.InsertAsync(token, TokenSecret.Hash(secret), ct);
        return new CreatedToken(token, secret);
    }

    /// <summary>
    /// The token's record and account if it exists and is usable now. A token this server has not accepted before
    /// is looked up in the store only if <paramref name="mayLookUp"/> says so (a client that keeps sending wrong
    /// tokens is refused without costing the store anything); one it has accepted is always checked.
    /// </summary>
    public async Task<TokenValidation> ValidateAsync(string secret, Func<bool> mayLookUp, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var known = _cache.TryGetValue(secret, out var hit);
        if (!known && !mayLookUp()) return TokenValidation.NotLookedUp;
        var revocations = await store.RevocationsAsync(ct);
        if (known && now - hit.FetchedAt < CacheTtl && hit.Revocations == revocations)
        {
            return hit.Token.IsUsableAt(now) ? new(TokenValidity.Valid, hit.Token, hit.Account) : TokenValidation.Invalid;
        }

        var token = await store.FindByHashAsync(TokenSecret.Hash(secret), ct);
        if (token is null || !token.IsUsableAt(now))
        {
            _cache.TryRemove(secret, out _);
            return TokenValidation.Invalid;
        }
        var account = await accounts.FindByIdAsync(token.AccountId, ct);
        if (account is null) return TokenValidation.Invalid;
        await store.TouchAsync(token.Id, now, ct);
        // The counter was read before the lookup: a revocation in between moves it past what this entry holds.
        _cache[secret] = (token, account, now, revocations);
        return new(TokenValidity.Valid, token, account);
    }

    /// <summary>
    /// The record and account of a token <see cref="ValidateAsync"/> accepted moments ago, when that still holds with
    /// nothing to look up: a fresh cache entry, usable now, and a revocation counter that has not moved (read without
    /// waiting). Null in every other case, which <see cref="ValidateAsync"/> then settles; this never refuses a token.
    /// </summary>
    public (AccessToken Token, Account Account)? FindKnown(ReadOnlySpan<char> secret)
    {
        // Looked up by a slice of the request's own text, so a hit allocates no string.
        if (!_cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(secret, out var hit)) return null;
        var now = time.GetUtcNow();
        if (now - hit.FetchedAt >= CacheTtl || !hit.Token.IsUsableAt(now)) return null;
        var revocations = store.RevocationsAsync(CancellationToken.None);
        // GetResult only once the task has completed: nothing waits here.
        return revocations.IsCompletedSuccessfully && revocations.GetAwaiter().GetResult() == hit.Revocations ? (hit.Token, hit.Account) : null;
    }

    public async Task<bool> RevokeAsync(string accountId, string tokenId, CancellationToken ct)
    {
        var revoked = await store.RevokeAsync(accountId, tokenId, time.GetUtcNow(), ct);
        foreach (var (key, entry) in _cache)
        {
            if (string.Equals(entry.Token.Id, tokenId, StringComparison.Ordinal)) _cache.TryRemove(key, out _);
        }
        return revoked;
    }

    public Task<IReadOnlyList<AccessToken>> ListAsync(string accountId, CancellationToken ct) => store.ListAsync(accountId, ct);
}
