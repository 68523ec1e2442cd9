using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Sluice.Auth;

/// <summary>
/// The console's sign-in: a person pastes an access token, and the console keeps it in an encrypted, HttpOnly,
/// SameSite=Strict cookie. Every request checks the token again with <see cref="TokenService"/>, so a revoked or
/// expired token signs its sessions out at their next page, and the console can do no more than the token could.
/// </summary>
internal static class ConsoleCookie
{
    public const string Scheme = "Console";

    /// <summary>The token inside the (data-protected) cookie; never shown, logged or sent anywhere else.</summary>
    private const string SecretClaim = "sluice:token";

    public const string SignInPath = "/signin";

    public static AuthenticationBuilder AddConsoleCookie(this AuthenticationBuilder builder) =>
        builder.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "sluice_console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the console is served over HTTPS; plain HTTP on loopback still works for a first run.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInPath;
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/forbidden";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });

    /// <summary>Signs the browser in with a token <see cref="TokenService"/> has just accepted.</summary>
    public static Task SignInAsync(HttpContext http, Caller caller, string secret)
    {
        var principal = CallerClaims.Principal(caller, Scheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SecretClaim, secret));
        http.SetCaller(caller);
        return http.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false });
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var secret = context.Principal?.FindFirstValue(SecretClaim);
        var http = context.HttpContext;
        // The cookie was issued by this server, so checking it costs no failed-attempt permit.
        var found = secret is null
            ? TokenValidation.Invalid
            : await http.RequestServices.GetRequiredService<TokenService>().ValidateAsync(secret, () => true, http.RequestAborted);
        if (found is { Validity: TokenValidity.Valid, Token: { } token, Account: { } account })
        {
            http.SetCaller(new Caller(token, account));
            return;
        }
        context.RejectPrincipal();
        await http.SignOutAsync(Scheme);
    }
}
