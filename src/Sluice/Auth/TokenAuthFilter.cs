using System.Globalization;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// Authenticates the token, checks the role, and, on routes with an <c>{aid}</c>, that the token belongs to that
/// account. Order: 401 (who are you), 403 (not your account / not allowed).
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
        var found = await services.GetRequiredService<TokenService>().ValidateAsync(secret, ct);
        if (found is not { } ok)
        {
            return ApiResults.Error(401, "Not authorized: the access token is unknown, expired or revoked");
        }
        if (http.Request.RouteValues.TryGetValue("aid", out var aidValue) && !IsAccount(aidValue, ok.Account))
        {
            // One answer whether the other account exists or not, and no lookup to tell them apart: any token,
            // even an observer's, could otherwise enumerate the account numbers of the server.
            return ApiResults.Error(403, $"this access token does not belong to account {aidValue}");
        }
        if (!Roles.Satisfies(ok.Token.Roles, required))
        {
            return ApiResults.Error(403, $"this access token lacks the {Roles.Name(required)} role");
        }
        http.SetCaller(new Caller(ok.Token, ok.Account));
        return await next(context);
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
