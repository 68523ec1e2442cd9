using System.Text.Json.Nodes;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Auth;

/// <summary>
/// An access token in the shape of Lytics' auth objects (<c>id</c>, <c>aid</c>, <c>account_id</c>, <c>name</c>,
/// <c>label</c>, <c>description</c>, <c>scopes</c>, <c>provider_name</c>, <c>auth_type</c>, <c>created</c>,
/// <c>updated</c>, <c>expires</c>, <c>config</c>), with Sluice's <c>roles</c>, <c>account_number</c>, <c>last_used</c>
/// and <c>revoked</c>. The secret appears only in the answer to its creation, as <c>config[api_key]</c> and <c>token</c>.
/// </summary>
internal static class TokenApiView
{
    public const string AuthType = "api_token";

    public static JsonObject Render(AccessToken t, Account account, string? secret = null)
    {
        var view = new JsonObject
        {
            ["id"] = t.Id,
            ["aid"] = account.Number,
            ["account_id"] = account.Id,
            ["account_number"] = account.Number,
            ["name"] = t.Name,
            ["label"] = t.Name,
            ["description"] = t.Description ?? "",
            ["scopes"] = new JsonArray([.. t.Roles.Select(r => (JsonNode)LyticsScopes.Scope(r))]),
            ["roles"] = new JsonArray([.. t.Roles.Select(r => (JsonNode)Roles.Name(r))]),
            ["provider_name"] = "Sluice",
            ["provider_slug"] = "sluice",
            ["auth_type"] = AuthType,
            ["created"] = ApiJson.Time(t.CreatedAt),
            ["updated"] = ApiJson.Time(t.RevokedAt ?? t.CreatedAt),
            ["expires"] = t.ExpiresAt is { } e ? ApiJson.Time(e) : null,
            ["last_used"] = t.LastUsedAt is { } u ? ApiJson.Time(u) : null,
            ["revoked"] = t.RevokedAt is { } r ? ApiJson.Time(r) : null,
            ["config"] = secret is null ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = "api_key", ["value"] = secret }),
        };
        if (secret is not null) view["token"] = secret;
        return view;
    }
}
