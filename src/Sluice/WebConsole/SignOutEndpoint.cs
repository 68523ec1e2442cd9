using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Sluice.Auth;

namespace Sluice.WebConsole;

/// <summary><c>POST /signout</c>: ends the console session (the form in the account menu carries the antiforgery token).</summary>
internal static class SignOutEndpoint
{
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await http.SignOutAsync(ConsoleCookie.Scheme);
            return Results.Redirect(ConsoleCookie.SignInPath + "?signedOut=1");
        })
        // Authenticated like the pages, so that the antiforgery token (issued to the signed-in user) checks out.
        .RequireAuthorization(ConsolePolicies.Observer).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }
}
