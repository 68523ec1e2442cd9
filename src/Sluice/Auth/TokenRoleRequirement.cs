using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Sluice.Accounts;

namespace Sluice.Auth;

/// <summary>
/// What an endpoint or console page needs: a caller whose token holds <see cref="Role"/> (admin always qualifies)
/// and, on routes with an <c>{aid}</c>, belongs to that account. The same requirement serves API and console.
/// </summary>
internal sealed record TokenRoleRequirement(Role Role) : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="TokenRoleRequirement"/> against the <see cref="Caller"/> the scheme set. A failure carries the
/// message the API answers with (see <see cref="AuthorizationResults"/>): the account first, then the role.
/// </summary>
internal sealed class TokenRoleHandler : AuthorizationHandler<TokenRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenRoleRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.FindCaller() is not { } caller) return Task.CompletedTask;
        if (Denial(caller, requirement.Role, http.Request.RouteValues) is { } reason) context.Fail(new AuthorizationFailureReason(this, reason));
        else context.Succeed(requirement);
        return Task.CompletedTask;
    }

    /// <summary>Why <paramref name="caller"/> may not use a route needing <paramref name="role"/>, or null when it may.</summary>
    public static string? Denial(Caller caller, Role role, RouteValueDictionary routeValues)
    {
        // One answer whether the other account exists or not, and no lookup to tell them apart: any token,
        // even an observer's, could otherwise enumerate the account numbers of the server.
        if (routeValues.TryGetValue("aid", out var aid) && !IsAccount(aid, caller.Account)) return $"this access token does not belong to account {aid}";
        return Roles.Satisfies(caller.Token.Roles, role) ? null : $"this access token lacks the {Roles.Name(role)} role";
    }

    private static bool IsAccount(object? aid, Account account) =>
        long.TryParse(aid?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == account.Number;
}
