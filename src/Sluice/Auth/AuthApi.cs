using Sluice.Api;
using System.Text.Json;
using Sluice.Authorizations;

namespace Sluice.Auth;

/// <summary>
/// <c>/api/auth</c>, shared as in Lytics by access tokens (admin only: create, the secret in that one response;
/// <c>?auth_type=api_token</c> to list; revoke) and authorizations (data_manager: Braze credentials and the like,
/// see <see cref="AuthorizationApi"/>). A listing is of authorizations unless it asks for tokens; a delete finds an
/// authorization by its id first, then, for an admin, a token.
/// </summary>
internal static class AuthApi
{
    private const string TokenType = "api_token";
    private const int MaxTokenRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Access tokens and authorizations");
        group.MapPost("/createtoken", CreateAsync).RequireToken(Role.Admin);
        group.MapGet("/", ListAsync).RequireToken(Role.DataManager);
        group.MapDelete("/{id}", DeleteAsync).RequireToken(Role.DataManager);
        group.MapPost("/", AuthorizationApi.CreateAsync).RequireToken(Role.DataManager);
        group.MapGet("/{id}", AuthorizationApi.GetAsync).RequireToken(Role.DataManager);
        group.MapPost("/{id}/test", AuthorizationApi.TestAsync).RequireToken(Role.DataManager);
        return app;
    }

    internal sealed record CreateTokenRequest(string? Name, string? Description, string[]? Roles, string[]? Scopes, string? Expires);

    private static async Task<IResult> CreateAsync(HttpContext http, TokenService tokens)
    {
        // The content type is not checked: tools such as curl -d label a JSON body as a form, as collect accepts.
        var bytes = await RequestBody.ReadAsync(http.Request, MaxTokenRequestBytes);
        if (bytes is null) return ApiResults.Error(413, $"the token request is larger than {MaxTokenRequestBytes} bytes");
        var (json, error) = RequestBody.ParseObject(bytes);
        if (error is not null) return error;
        CreateTokenRequest? body;
        using (json)
        {
            try
            {
                body = json!.RootElement.Deserialize<CreateTokenRequest>(ApiJson.Options);
            }
            catch (JsonException e)
            {
                return ApiResults.Error(400, $"the token request does not have the expected shape at {e.Path}: {{\"name\", \"description\", \"roles\": [...], \"expires\"}}");
            }
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Name)) return ApiResults.Error(400, "name is required");
        if (!Roles.TryParseAll(body.Roles ?? body.Scopes, out var roleError, out var roles)) return ApiResults.Error(400, roleError);
        if (!TokenExpiry.TryParse(body.Expires, out var expiryError, out var lifetime)) return ApiResults.Error(400, expiryError);

        var created = await tokens.CreateAsync(http.Caller().Account.Id, body.Name.Trim(), body.Description, roles, lifetime, http.RequestAborted);
        return ApiResults.Created(TokenView.From(created.Token, http.Caller().Account.Number) with { Token = created.Secret });
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, string? auth_type, TokenService tokens, AuthorizationService authorizations, AuthorizationProviders providers)
    {
        if (auth_type is null || (!string.Equals(auth_type, TokenType, StringComparison.Ordinal) && providers.IsKnown(auth_type)))
        {
            return await AuthorizationApi.ListAsync(http, auth_type, authorizations);
        }
        if (!string.Equals(auth_type, TokenType, StringComparison.Ordinal))
        {
            return ApiResults.Error(400, $"unknown auth_type \"{auth_type}\"; use api_token for access tokens or a provider name");
        }
        if (!IsAdmin(http)) return ApiResults.Error(403, "this access token lacks the admin role: only admins list access tokens");
        var account = http.Caller().Account;
        var list = await tokens.ListAsync(account.Id, http.RequestAborted);
        return ApiResults.Ok(list.Select(t => TokenView.From(t, account.Number)).ToList());
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, TokenService tokens, AuthorizationService authorizations)
    {
        if (await AuthorizationApi.TryDeleteAsync(http, id, authorizations) is { } deleted) return deleted;
        if (!IsAdmin(http)) return AuthorizationApi.NotFound(id);
        var revoked = await tokens.RevokeAsync(http.Caller().Account.Id, id, http.RequestAborted);
        return revoked ? ApiResults.Ok(new { id, revoked = true }) : ApiResults.Error(404, $"no authorization or live token with id \"{id}\" in this account");
    }

    private static bool IsAdmin(HttpContext http) => Roles.Satisfies(http.Caller().Token.Roles, Role.Admin);
}
