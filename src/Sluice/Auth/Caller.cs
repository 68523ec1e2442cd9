using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>Who is calling: the authenticated token and the account it belongs to. Set by <see cref="TokenAuthFilter"/>.</summary>
internal sealed record Caller(AccessToken Token, Account Account);

internal static class CallerExtensions
{
    private static readonly object Key = new();

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    /// <summary>The caller of an endpoint behind <see cref="TokenAuthFilter"/>; absent only on a wiring mistake.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("endpoint is not behind token authentication");
}
