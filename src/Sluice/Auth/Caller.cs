using System.Security.Claims;
using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>
/// Who is calling: the authenticated token and the account it belongs to. Set by the access-token scheme
/// (<see cref="AccessTokenHandler"/>), by <see cref="KnownTokenShortcut"/>, or by the console's cookie
/// (<see cref="ConsoleCookie"/>).
/// </summary>
internal sealed record Caller(AccessToken Token, Account Account);

/// <summary>
/// A signed-in caller's claims together with the <see cref="Auth.Caller"/> they were made from. Set as the request's
/// user by <see cref="KnownTokenShortcut"/>, it carries the caller without a per-request items dictionary. (ASP.NET
/// Core's policy evaluation copies a scheme's principal into a new one, so there the caller travels in the items.)
/// </summary>
internal sealed class CallerPrincipal(Caller caller, ClaimsIdentity identity) : ClaimsPrincipal(identity)
{
    public Caller Caller { get; } = caller;
}

internal static class CallerExtensions
{
    private static readonly object Key = new();

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    public static Caller? FindCaller(this HttpContext context) =>
        context.User is CallerPrincipal signed ? signed.Caller : context.Items[Key] as Caller;

    /// <summary>The caller of an endpoint behind <c>RequireToken</c> or a console policy; absent only on a wiring mistake.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.FindCaller() ?? throw new InvalidOperationException("endpoint is not behind token authentication");
}
