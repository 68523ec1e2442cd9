using Sluice.Auth;

namespace Sluice.Accounts;

/// <summary>On an empty store: the first account and, for a server's first start, an admin token (shown once).</summary>
internal static class AccountBootstrap
{
    public static async Task<(Account Account, CreatedToken? AdminToken)> EnsureAccountAsync(
        IAccountStore accounts, TokenService tokens, CancellationToken ct, bool withAdminToken = true)
    {
        var existing = await accounts.ListAsync(ct);
        if (existing.Count > 0) return (existing[0], null);
        var account = await accounts.CreateAsync("Default", ct);
        if (!withAdminToken) return (account, null);
        var admin = await tokens.CreateAsync(account.Id, "admin", "created on first start", [Role.Admin], null, ct);
        return (account, admin);
    }
}
