using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Profiles;

/// <summary><c>GET /api/entity/user/{field}/{value}</c>: a profile by any of its identity values.</summary>
internal static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/entity/user").WithTags("Profiles");
        group.MapGet("/{field}/{value}", GetAsync).RequireToken(Role.Observer);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string field, string value, string? fields, IProfileStore store)
    {
        var account = http.Caller().Account;
        var ct = http.RequestAborted;
        var profile = await FindAsync(store, account.Id, field, value, ct);
        if (profile is null) return ApiResults.Error(404, $"no profile with {field} = \"{value}\"");

        var only = string.IsNullOrWhiteSpace(fields)
            ? null
            : fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var data = ProfileView.Render(profile, only);
        var meta = new JsonObject
        {
            ["format"] = "json",
            ["name"] = "user",
            ["by_fields"] = new JsonArray([.. profile.Document.Identities.Keys.Select(k => (JsonNode)k)]),
        };
        return Results.Json(new JsonObject { ["meta"] = meta, ["data"] = data, ["status"] = 200, ["message"] = "success" }, ApiJson.Options);
    }

    /// <summary>Identity values are stored normalised (emails lower-cased), so a lookup tries the value as given, then normalised.</summary>
    private static async Task<StoredProfile?> FindAsync(IProfileStore store, string accountId, string field, string value, CancellationToken ct)
    {
        foreach (var candidate in new[] { value, value.Trim().ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
        {
            if (await store.FindProfileIdAsync(accountId, field, candidate, ct) is { } id)
            {
                return await store.LoadAsync(accountId, id, ct);
            }
        }
        return null;
    }
}
