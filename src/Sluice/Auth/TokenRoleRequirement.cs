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
        if (http.Request.RouteValues.TryGetValue("aid", out var aid) && !IsAccount(aid, caller.Account))
        {
            // One answer whether the other account exists or not, and no lookup to tell them apart: any token,
            // even an observer's, could otherwise enumerate the account numbers of the server.
            context.Fail(new AuthorizationFailureReason(this, $"this access token does not belong to account {aid}"));
        }
        else if (!Roles.Satisfies(caller.Token.Roles, requirement.Role))
        {
            context.Fail(new AuthorizationFailureReason(this, $"this access token lacks the {Roles.Name(requirement.Role)} role"));
        }
        else
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    private static bool IsAccount(object? aid, Account account) =>
        long.TryParse(aid?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == account.Number;
}
