using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>
/// Who is calling: the authenticated token and the account it belongs to. Set by the access-token scheme
/// (<see cref="AccessTokenHandler"/>) or the console's cookie (<see cref="ConsoleCookie"/>).
/// </summary>
internal sealed record Caller(AccessToken Token, Account Account);

internal static class CallerExtensions
{
    private static readonly object Key = new();

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    public static Caller? FindCaller(this HttpContext context) => context.Items[Key] as Caller;

    /// <summary>The caller of an endpoint behind <c>RequireToken</c> or a console policy; absent only on a wiring mistake.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.FindCaller() ?? throw new InvalidOperationException("endpoint is not behind token authentication");
}
