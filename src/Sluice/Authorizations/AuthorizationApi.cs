using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Authorizations;

/// <summary>
/// Authorizations over HTTP (data_manager): create, list, get, delete, test. They share <c>/api/auth</c> with access
/// tokens, as in Lytics: <see cref="AuthApi"/> owns the routes both use and hands authorizations to these handlers.
/// </summary>
internal static class AuthorizationApi
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> CreateAsync(HttpContext http, AuthorizationService authorizations, AuthorizationProviders providers)
    {
        if (!http.Request.HasJsonContentType()) return ApiResults.Error(415, "send the authorization as application/json");
        // Read through the shared check, so that a string that does not decode is a 400 with its place, not an
        // exception further on; the messages name places only, never the body, which holds a key.
        var bytes = await RequestBody.ReadAsync(http.Request, MaxBodyBytes);
        if (bytes is null) return ApiResults.Error(413, $"the body is larger than {MaxBodyBytes} bytes");
        if (!JsonStrings.TryParse(bytes, out var json, out var problem)) return ApiResults.Error(400, problem);
        JsonObject? body;
        using (json) body = json.RootElement.ValueKind == JsonValueKind.Object ? JsonObject.Create(json.RootElement.Clone()) : null;
        if (body is null) return ApiResults.Error(400, "send an authorization: {\"provider\":\"braze\",\"label\":...,\"config\":{...}}");

        var providerName = Text(body, "provider");
        var provider = providerName is null ? null : providers.Find(providerName);
        if (provider is null) return ApiResults.Error(400, providers.Refusal(providerName));
        var label = Text(body, "label");
        if (string.IsNullOrWhiteSpace(label)) return ApiResults.Error(400, "label is required");
        if (body["description"] is { } d && (d is not JsonValue dv || !dv.TryGetValue<string>(out _))) return ApiResults.Error(400, "description must be a string");
        if (body["config"] is { } c && c is not JsonObject) return ApiResults.Error(400, "config must be an object");
        if (!provider.TryParse(body["config"] as JsonObject, out var config, out var error)) return ApiResults.Error(400, error);

        var created = await authorizations.CreateProvisionedAsync(
            http.Caller().Account.Id, provider, label.Trim(), Text(body, "description"), config, http.RequestAborted);
        if (created.Authorization is null) return ApiResults.Error(created.Status, created.Error!);
        if (created.ShownOnce is null) return ApiResults.Created(AuthorizationView.From(created.Authorization));
        // Generated credentials (a drop box's password) are in this response only; they are never shown again.
        var view = JsonSerializer.SerializeToNode(AuthorizationView.From(created.Authorization), ApiJson.Options)!.AsObject();
        view["credentials"] = created.ShownOnce;
        return ApiResults.Created(view);
    }

    /// <summary>Every authorization of the account, or those of one provider (<c>?auth_type=braze</c>).</summary>
    public static async Task<IResult> ListAsync(HttpContext http, string? provider, AuthorizationService authorizations)
    {
        var all = await authorizations.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        return ApiResults.Ok(all
            .Where(a => provider is null || string.Equals(a.Provider, provider, StringComparison.OrdinalIgnoreCase))
            .Select(AuthorizationView.From)
            .ToList());
    }

    public static async Task<IResult> GetAsync(HttpContext http, string id, AuthorizationService authorizations)
    {
        var found = await authorizations.GetAsync(http.Caller().Account.Id, id, http.RequestAborted);
        return found is null ? NotFound(id) : ApiResults.Ok(AuthorizationView.From(found));
    }

    /// <summary>Deletes the authorization if it is one of the account's; null when there is none with that id.</summary>
    public static async Task<IResult?> TryDeleteAsync(HttpContext http, string id, AuthorizationService authorizations)
    {
        var accountId = http.Caller().Account.Id;
        if (await authorizations.GetAsync(accountId, id, http.RequestAborted) is null) return null;
        var jobs = await authorizations.DeleteAsync(accountId, id, http.RequestAborted);
        if (jobs.Count > 0)
        {
            return ApiResults.Error(409, $"authorization \"{id}\" is used by job(s) {string.Join(", ", jobs)}: delete those jobs or give them another authorization first",
                new { jobs });
        }
        return ApiResults.Ok(new { id, deleted = true });
    }

    public static async Task<IResult> TestAsync(HttpContext http, string id, AuthorizationService authorizations)
    {
        var found = await authorizations.GetAsync(http.Caller().Account.Id, id, http.RequestAborted);
        if (found is null) return NotFound(id);
        var result = await authorizations.TestAsync(found, http.RequestAborted);
        var answer = new JsonObject { ["ok"] = result.Ok, ["status"] = result.Status, ["message"] = result.Message };
        if (result.HostKeyFingerprint is not null) answer["host_key_fingerprint"] = result.HostKeyFingerprint;
        if (result.Entries is not null) answer["entries"] = result.Entries;
        return ApiResults.Ok(answer);
    }

    public static IResult NotFound(string id) => ApiResults.Error(404, $"no authorization with id \"{id}\" in this account");

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
