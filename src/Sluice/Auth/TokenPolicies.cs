using Microsoft.AspNetCore.Authorization;

namespace Sluice.Auth;

/// <summary>
/// One authorization policy per role and per way in: <c>api:ROLE</c> authenticates with an access token (answers
/// stay JSON), <c>console:ROLE</c> with the console's cookie (a challenge leads to the sign-in page). Both check
/// <see cref="TokenRoleRequirement"/>, so API and console decide roles the same way.
/// </summary>
internal static class TokenPolicies
{
    public static string Api(Role role) => "api:" + Roles.Name(role);

    public static string Console(Role role) => "console:" + Roles.Name(role);

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            options.AddPolicy(Api(role), p => p.AddAuthenticationSchemes(AccessTokenHandler.SchemeName).AddRequirements(new TokenRoleRequirement(role)));
            options.AddPolicy(Console(role), p => p.AddAuthenticationSchemes(ConsoleCookie.Scheme).AddRequirements(new TokenRoleRequirement(role)));
        }
    }
}

internal static class TokenAuthExtensions
{
    /// <summary>
    /// Every endpoint of the group needs an access token with <paramref name="role"/> (admin always qualifies). Once
    /// all other conventions have run, an endpoint with nothing else for the security middlewares to do is marked
    /// for <see cref="KnownTokenShortcut"/>.
    /// </summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(TokenPolicies.Api(role));
        builder.Finally(endpoint =>
        {
            if (TokenShortcutMetadata.For(endpoint.Metadata, role) is { } shortcut) endpoint.Metadata.Add(shortcut);
        });
        return builder;
    }
}
