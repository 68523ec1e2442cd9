using Sluice.Api;

namespace Sluice.Auth;

/// <summary>Access tokens over HTTP (admin only): create (the secret is in this one response), list, revoke.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").RequireToken(Role.Admin).WithTags("Access tokens");
        group.MapPost("/createtoken", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return app;
    }

    internal sealed record CreateTokenRequest(string? Name, string? Description, string[]? Roles, string[]? Scopes, string? Expires);

    private static async Task<IResult> CreateAsync(HttpContext http, TokenService tokens)
    {
        CreateTokenRequest? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<CreateTokenRequest>(ApiJson.Options, http.RequestAborted);
        }
        catch (System.Text.Json.JsonException e)
        {
            return ApiResults.Error(400, $"malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}");
        }
        catch (InvalidOperationException)
        {
            return ApiResults.Error(415, "send the token request as application/json");
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Name)) return ApiResults.Error(400, "name is required");
        if (!Roles.TryParseAll(body.Roles ?? body.Scopes, out var roleError, out var roles)) return ApiResults.Error(400, roleError);
        if (!TokenExpiry.TryParse(body.Expires, out var expiryError, out var lifetime)) return ApiResults.Error(400, expiryError);

        var created = await tokens.CreateAsync(http.Caller().Account.Id, body.Name.Trim(), body.Description, roles, lifetime, http.RequestAborted);
        return ApiResults.Created(TokenView.From(created.Token, http.Caller().Account.Number) with { Token = created.Secret });
    }

    private static async Task<IResult> ListAsync(HttpContext http, string? auth_type, TokenService tokens)
    {
        if (auth_type is not null && !string.Equals(auth_type, "api_token", StringComparison.Ordinal))
        {
            return ApiResults.Error(400, $"unknown auth_type \"{auth_type}\"; only api_token is listed here");
        }
        var account = http.Caller().Account;
        var list = await tokens.ListAsync(account.Id, http.RequestAborted);
        return ApiResults.Ok(list.Select(t => TokenView.From(t, account.Number)).ToList());
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, string id, TokenService tokens)
    {
        var revoked = await tokens.RevokeAsync(http.Caller().Account.Id, id, http.RequestAborted);
        return revoked ? ApiResults.Ok(new { id, revoked = true }) : ApiResults.Error(404, $"no live token with id \"{id}\" in this account");
    }
}
