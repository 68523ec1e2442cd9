using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Sluice.Auth;

internal static class AuthServices
{
    /// <summary>
    /// Access tokens for the API, the cookie for the console, and the role policies both use. No default scheme:
    /// each endpoint's policy names its own, so a request to a public route is never authenticated (nor throttled).
    /// </summary>
    public static IServiceCollection AddSluiceAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null)
            .AddConsoleCookie();
        services.AddAuthorization(TokenPolicies.Add);
        services.AddSingleton<IAuthorizationHandler, TokenRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationResults>();
        return services;
    }
}
