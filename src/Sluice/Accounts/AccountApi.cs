using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Accounts;

/// <summary>
/// Lytics' <c>/api/account</c>: the caller's own account, as a one-item list or by its number, its id, or the caller's
/// access token (Lytics' CLI asks for <c>/api/account/{its key}</c>). Any other account answers 404, whether it
/// exists or not, so that no token can learn which account numbers a server holds.
/// </summary>
internal static class AccountApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        // The parameter is not named "aid": that name makes the token check refuse another account with 403, and a
        // lookup by id or key must answer the same 404 for every account but the caller's.
        var group = app.MapGroup("/api/account").WithTags("Accounts");
        group.MapGet("/", List).RequireToken(Role.Observer);
        group.MapGet("/{id}", Get).RequireToken(Role.Observer);
        return app;
    }

    private static IResult List(HttpContext http) => ApiResults.Ok(new JsonArray(View(http.Caller().Account)));

    private static IResult Get(HttpContext http, string id)
    {
        var account = http.Caller().Account;
        var isCaller = string.Equals(id, account.Id, StringComparison.Ordinal)
            || string.Equals(id, account.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || string.Equals(id, TokenExtraction.Find(http.Request), StringComparison.Ordinal);
        return isCaller ? ApiResults.Ok(View(account)) : ApiResults.Error(404, "no such account for this access token");
    }

    /// <summary>The fields of Lytics' account; the ones Sluice has no value for are empty rather than made up.</summary>
    internal static JsonObject View(Account a) => new()
    {
        ["id"] = a.Id,
        ["aid"] = a.Number,
        ["name"] = a.Name,
        ["created"] = ApiJson.Time(a.CreatedAt),
        ["updated"] = ApiJson.Time(a.CreatedAt),
        ["fid"] = "",
        ["domain"] = "",
        ["email"] = "",
        ["timezone"] = "UTC",
        ["pubusers"] = false,
        ["masteraid"] = 0,
    };
}
