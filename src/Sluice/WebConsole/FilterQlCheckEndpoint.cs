using Microsoft.AspNetCore.Antiforgery;
using Sluice.Audiences;
using Sluice.Auth;
using Sluice.Query.FilterQl;

namespace Sluice.WebConsole;

/// <summary>
/// <c>POST /audiences/_check</c>: the audience editor's live validation. The editor's script sends the form as the
/// person types (with its antiforgery token); the answer is the error's line, column and reason, or that the
/// statement compiles. Without script the editor's "Check and count" button does the same with a page load.
/// </summary>
internal static class FilterQlCheckEndpoint
{
    private const int MaxStatementChars = 64 * 1024;

    public static IEndpointRouteBuilder MapFilterQlCheck(this IEndpointRouteBuilder app)
    {
        app.MapPost("/audiences/_check", CheckAsync).RequireAuthorization(ConsolePolicies.Observer).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CheckAsync(HttpContext http, IAntiforgery antiforgery, AudienceRegistry registry, IAudienceStore store)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var text = form["segment_ql"].ToString();
        if (string.IsNullOrWhiteSpace(text)) return Results.Json(new { ok = false, reason = "Write a FilterQL statement." });
        if (text.Length > MaxStatementChars) return Results.Json(new { ok = false, reason = "The definition is longer than 64 KB." });
        var account = http.Caller().Account;
        await registry.ForAccountAsync(account.Id, http.RequestAborted);
        try
        {
            var filter = AudienceDefinitionCheck.CompileUnsaved(text, await store.ListAsync(account.Id, http.RequestAborted));
            return Results.Json(new { ok = true, canonical = filter.Statement.ToString() });
        }
        catch (FilterQlException e)
        {
            return Results.Json(new { ok = false, line = e.Line, column = e.Column, reason = e.Reason });
        }
    }
}
