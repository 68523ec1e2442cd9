using System.Globalization;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// Authenticates the token, checks the role, and, on routes with an <c>{aid}</c>, that the token belongs to that
/// account. Order: 401 (who are you), 404 (no such account), 403 (not yours / not allowed).
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
        if (http.Request.RouteValues.TryGetValue("aid", out var aidValue))
        {
            if (!long.TryParse(aidValue?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var aid))
            {
                return ApiResults.Error(404, $"account \"{aidValue}\" not found");
            }
            if (ok.Account.Number != aid)
            {
                var exists = await services.GetRequiredService<IAccountStore>().FindByNumberAsync(aid, ct);
                return exists is null
                    ? ApiResults.Error(404, $"account {aid} not found")
                    : ApiResults.Error(403, $"this access token does not belong to account {aid}");
            }
        }
        if (!Roles.Satisfies(ok.Token.Roles, required))
        {
            return ApiResults.Error(403, $"this access token lacks the {Roles.Name(required)} role");
        }
        http.SetCaller(new Caller(ok.Token, ok.Account));
        return await next(context);
    }
}

internal static class TokenAuthExtensions
{
    /// <summary>Every endpoint of the group needs a token with <paramref name="role"/> (admin always qualifies).</summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new TokenAuthFilter(role));
}
