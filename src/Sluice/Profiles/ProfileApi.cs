using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Audiences;
using Sluice.Auth;
using Sluice.Processing;

namespace Sluice.Profiles;

/// <summary>
/// <c>GET /api/entity/user/{field}/{value}</c>: a profile by any identity value (or by <c>_id</c>, which also finds a
/// profile by the id of one merged into it). <c>DELETE</c> is the privacy delete.
/// </summary>
internal static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/entity/user").WithTags("Profiles");
        group.MapGet("/{field}/{value}", GetAsync).RequireToken(Role.Observer);
        group.MapDelete("/{field}/{value}", DeleteAsync).RequireToken(Role.DataManager);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string field, string value, string? fields, bool? segments, bool? explain, Partitioner partitioner, IGrainFactory grains, IAudienceStore audiences)
    {
        var account = http.Caller().Account;
        var profile = await FindAsync(grains.GetGrain<IPartitionGrain>(partitioner.For(account.Id)), account.Id, field, value);
        if (profile is null) return ApiResults.Error(404, $"no profile with {field} = \"{value}\"");

        var only = string.IsNullOrWhiteSpace(fields)
            ? null
            : fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var data = ProfileView.Render(profile, only);
        if (segments == true) data["segments"] = (await ProfileSegments.ForAccountAsync(audiences, account.Id, http.RequestAborted))(profile.Document);
        var response = new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["format"] = "json",
                ["name"] = "user",
                ["by_fields"] = new JsonArray([.. profile.Document.Identities.Keys.Select(k => (JsonNode)k)]),
            },
            ["data"] = data,
            ["status"] = 200,
            ["message"] = "success",
        };
        if (explain == true) response["explain"] = ProfileView.Explain(profile);
        return Results.Json(response, ApiJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string field, string value, Partitioner partitioner, IGrainFactory grains)
    {
        var account = http.Caller().Account;
        var partition = grains.GetGrain<IPartitionGrain>(partitioner.For(account.Id));
        var profile = await FindAsync(partition, account.Id, field, value);
        if (profile is null) return ApiResults.Error(404, $"no profile with {field} = \"{value}\"");
        var events = await partition.DeleteProfileAsync(account.Id, profile.Id);
        return events < 0
            ? ApiResults.Error(404, $"no profile with {field} = \"{value}\"")
            : ApiResults.Ok(new { id = profile.Id, deleted = true, events_deleted = events });
    }

    /// <summary>
    /// Through the partition grain, which holds the identity index and the profiles as processing last left them.
    /// Identity values are stored normalised (emails lower-cased), so a lookup tries the value as given, then normalised.
    /// </summary>
    internal static async Task<StoredProfile?> FindAsync(IPartitionGrain partition, string accountId, string field, string value)
    {
        long? id = null;
        if (field == "_id")
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) id = parsed;
        }
        else
        {
            foreach (var candidate in new[] { value, value.Trim().ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
            {
                id = await partition.FindProfileAsync(accountId, field, candidate);
                if (id is not null) break;
            }
        }
        return id is { } found && await partition.GetProfileAsync(accountId, found) is { } snapshot ? snapshot.ToProfile() : null;
    }
}
