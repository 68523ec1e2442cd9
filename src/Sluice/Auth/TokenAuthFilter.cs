using System.Globalization;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// Authenticates the token, checks the role, and, on routes with an <c>{aid}</c>, that the token belongs to that
/// account. Order: 429 (too many failed tokens from this address), 401 (who are you), 403 (not your account /
/// not allowed).
/// </summary>
internal sealed class TokenAuthFilter(Role required) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var secret = TokenExtraction.Find(http.Request);
        if (secret is null)
        {
            return ApiResults.Error(401, "missing access token: pass it as ?key=, ?access_token= or an Authorization header");
        }
        var services = http.RequestServices;
        var throttle = services.GetRequiredService<FailedAuthThrottle>();
        var client = http.Connection.RemoteIpAddress;
        var found = await services.GetRequiredService<TokenService>().ValidateAsync(secret, () => throttle.HasPermits(client), ct);
        if (found is not { Validity: TokenValidity.Valid, Token: { } token, Account: { } account })
        {
            // Every failure takes a permit of the client's address; without one it is told to wait, not told
            // whether the token was right.
            if (found.Validity == TokenValidity.NotLookedUp || !throttle.TryConsume(client)) return TooManyFailures(http, throttle);
            return ApiResults.Error(401, "Not authorized: the access token is unknown, expired or revoked");
        }
        if (http.Request.RouteValues.TryGetValue("aid", out var aidValue) && !IsAccount(aidValue, account))
        {
            // One answer whether the other account exists or not, and no lookup to tell them apart: any token,
            // even an observer's, could otherwise enumerate the account numbers of the server.
            return ApiResults.Error(403, $"this access token does not belong to account {aidValue}");
        }
        if (!Roles.Satisfies(token.Roles, required))
        {
            return ApiResults.Error(403, $"this access token lacks the {Roles.Name(required)} role");
        }
        http.SetCaller(new Caller(token, account));
        return await next(context);
    }

    private static IResult TooManyFailures(HttpContext http, FailedAuthThrottle throttle)
    {
        var seconds = (long)Math.Ceiling(throttle.RetryAfter.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiResults.Error(429, $"too many failed authentications from this address: retry in {seconds} s with a valid access token");
    }

    private static bool IsAccount(object? aid, Account account) =>
        long.TryParse(aid?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == account.Number;
}

internal static class TokenAuthExtensions
{
    /// <summary>Every endpoint of the group needs a token with <paramref name="role"/> (admin always qualifies).</summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new TokenAuthFilter(role));
}
