using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// The API's authentication scheme: an access token from <c>?key=</c>, <c>?access_token=</c> or the Authorization
/// header, checked by <see cref="TokenService"/>. A challenge answers in the API's JSON envelope, never with a
/// redirect: 429 when the client has used up its failed attempts (<see cref="FailedAuthThrottle"/>), else 401.
/// </summary>
internal sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenService tokens, FailedAuthThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";

    private Failure _failure = Failure.Missing;

    private enum Failure
    {
        Missing,
        Invalid,
        Throttled,
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = TokenExtraction.Find(Request);
        if (secret is null)
        {
            _failure = Failure.Missing;
            return AuthenticateResult.NoResult();
        }
        var client = Context.Connection.RemoteIpAddress;
        var found = await tokens.ValidateAsync(secret, () => throttle.HasPermits(client), Context.RequestAborted);
        if (found is not { Validity: TokenValidity.Valid, Token: { } token, Account: { } account })
        {
            // Every failure takes a permit of the client's address; without one it is told to wait, not told
            // whether the token was right.
            _failure = found.Validity == TokenValidity.NotLookedUp || !throttle.TryConsume(client) ? Failure.Throttled : Failure.Invalid;
            return AuthenticateResult.Fail("the access token is unknown, expired or revoked");
        }
        var (caller, principal) = Signed(token, account);
        Context.SetCaller(caller);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// The caller and its claims, built once per token record rather than once per request: a cached validation
    /// hands back the same token and account objects until the entry is refreshed, and a webhook burst repeats one
    /// token thousands of times a second. Nothing changes a principal once the scheme has built it.
    /// </summary>
    internal static SignedCaller Signed(AccessToken token, Account account)
    {
        if (SignedCallers.TryGetValue(token, out var known) && ReferenceEquals(known.Caller.Account, account)) return known;
        var caller = new Caller(token, account);
        var built = new SignedCaller(caller, CallerClaims.Principal(caller, SchemeName));
        SignedCallers.AddOrUpdate(token, built);
        return built;
    }

    /// <summary>Keyed by the token record's identity, so an entry goes with the validation cache's entry.</summary>
    private static readonly ConditionalWeakTable<AccessToken, SignedCaller> SignedCallers = new();

    internal sealed record SignedCaller(Caller Caller, CallerPrincipal Principal);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        switch (_failure)
        {
            case Failure.Throttled:
                var seconds = (long)Math.Ceiling(throttle.RetryAfter.TotalSeconds);
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ApiResults.WriteErrorAsync(Context, 429, $"too many failed authentications from this address: retry in {seconds} s with a valid access token");
            case Failure.Invalid:
                return ApiResults.WriteErrorAsync(Context, 401, "Not authorized: the access token is unknown, expired or revoked");
            default:
                return ApiResults.WriteErrorAsync(Context, 401, "missing access token: pass it as ?key=, ?access_token= or an Authorization header");
        }
    }
}

/// <summary>The claims a signed-in caller carries; the <see cref="Caller"/> itself travels in the request's items.</summary>
internal static class CallerClaims
{
    public const string AccountNumber = "sluice:account";

    public static CallerPrincipal Principal(Caller caller, string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, caller.Token.Id),
            new(ClaimTypes.Name, caller.Token.Name),
            new(AccountNumber, caller.Account.Number.ToString(CultureInfo.InvariantCulture)),
            .. caller.Token.Roles.Select(r => new Claim(ClaimTypes.Role, Roles.Name(r))),
        ];
        return new CallerPrincipal(caller, new ClaimsIdentity(claims, scheme));
    }
}
