using Sluice.Auth;

namespace Sluice.Accounts;

/// <summary>On an empty store: the first account and its first admin token (whose secret is shown once).</summary>
internal static class AccountBootstrap
{
    public static async Task<(Account Account, CreatedToken? AdminToken)> EnsureAccountAsync(
        IAccountStore accounts, TokenService tokens, CancellationToken ct)
    {
        var existing = await accounts.ListAsync(ct);
        if (existing.Count > 0) return (existing[0], null);
        var account = await accounts.CreateAsync("Default", ct);
        var admin = await tokens.CreateAsync(account.Id, "admin", "created on first start", [Role.Admin], null, ct);
        return (account, admin);
    }
}
