using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// How a refused request is answered. On the API (a policy with the access-token scheme) a 403 is the JSON envelope
/// with the reason the requirement gave (not your account, or the missing role); the console's cookie scheme keeps
/// ASP.NET Core's pages and redirects.
/// </summary>
internal sealed class AuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && policy.AuthenticationSchemes.Contains(AccessTokenHandler.SchemeName))
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "this access token may not do this";
            return ApiResults.WriteErrorAsync(context, 403, reason);
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
