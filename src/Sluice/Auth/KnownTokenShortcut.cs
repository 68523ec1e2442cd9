using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Sluice.Auth;

/// <summary>
/// Runs an endpoint behind <c>RequireToken</c> at once when its token is one <see cref="TokenService"/> accepted
/// moments ago, skipping ASP.NET Core's authentication and authorization middlewares (a handler, a result, a ticket, a
/// merged principal, an authorization context and services from the request's scope: more than half of what a webhook
/// request allocated). The checks are the same ones, made on the same records: the token is found as
/// <see cref="TokenExtraction.Find"/> finds it, <see cref="TokenService.FindKnown"/> holds it valid only on a fresh
/// cache entry whose revocation counter has not moved, and <see cref="TokenRoleHandler.Denial"/> decides account and
/// role. Anything else (no token, an unknown, expired or revoked one, a token to decode, another account, a missing
/// role) goes on down the ordinary pipeline, which answers and throttles exactly as before.
/// </summary>
/// <para>
/// Placed right after routing. Only endpoints whose sole authorization is one <c>RequireToken</c> policy, with no
/// antiforgery, CORS or anonymous metadata, carry <see cref="TokenShortcutMetadata"/> (see
/// <see cref="TokenAuthExtensions.RequireToken"/>), so nothing those middlewares would do is skipped.
/// </para>
internal sealed class KnownTokenShortcut(RequestDelegate next, TokenService tokens)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { RequestDelegate: { } endpoint } e
            || e.Metadata.GetMetadata<TokenShortcutMetadata>() is not { } shortcut
            || !TokenExtraction.TryFindPlain(context.Request, out var secret)
            || tokens.FindKnown(secret) is not { } known)
        {
            return next(context);
        }
        var signed = AccessTokenHandler.Signed(known.Token, known.Account);
        if (TokenRoleHandler.Denial(signed.Caller, shortcut.Role, context.Request.RouteValues) is not null) return next(context);
        context.User = signed.Principal;
        return endpoint(context);
    }
}

/// <summary>Marks an endpoint <see cref="KnownTokenShortcut"/> may run: its only authorization is the token policy for <see cref="Role"/>.</summary>
internal sealed record TokenShortcutMetadata(Role Role)
{
    /// <summary>
    /// The marker for an endpoint with these final metadata, or null when anything but one access-token policy
    /// asks a middleware for something: another or a second policy, anonymous access, antiforgery, CORS.
    /// </summary>
    public static TokenShortcutMetadata? For(IList<object> metadata, Role role)
    {
        var policies = 0;
        foreach (var m in metadata)
        {
            switch (m)
            {
                case IAuthorizeData a when a.Policy == TokenPolicies.Api(role) && a.Roles is null && a.AuthenticationSchemes is null:
                    policies++;
                    break;
                case IAuthorizeData or IAuthorizationRequirementData or AuthorizationPolicy or IAllowAnonymous or ICorsMetadata:
                case IAntiforgeryMetadata { RequiresValidation: true }:
                    return null;
            }
        }
        return policies == 1 ? new TokenShortcutMetadata(role) : null;
    }
}
