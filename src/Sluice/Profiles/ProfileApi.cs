using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Audiences;
using Sluice.Auth;
using Microsoft.Extensions.Options;
using Sluice.Mapping;
using Sluice.Processing;
using Sluice.Query.Lql;

namespace Sluice.Profiles;

/// <summary>
/// <c>GET /api/entity/user/{field}/{value}</c>: a profile by any identity value (or by <c>_id</c>, which also finds a
/// profile by the id of one merged into it); <c>/api/entity/user/{value}</c> tries the identity fields of the
/// account's mappings in turn. The value is looked up as given and as each mapping's identity column would store it
/// (<c>phone()</c>, <c>email()</c>). <c>segments</c> come unless <c>segments=false</c>. <c>DELETE</c> is the
/// privacy delete. Sluice has one table, <c>user</c>; other tables answer 404.
/// </summary>
internal static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/entity/user").WithTags("Profiles");
        group.MapGet("/{field}/{value}", GetAsync).RequireToken(Role.Observer);
        group.MapGet("/{value}", GetByAnyIdentityAsync).RequireToken(Role.Observer);
        group.MapDelete("/{field}/{value}", DeleteAsync).RequireToken(Role.DataManager);
        var other = app.MapGroup("/api/entity/{table}").WithTags("Profiles");
        other.MapGet("/{field}/{value}", (string table) => NoTable(table)).RequireToken(Role.Observer);
        other.MapGet("/{value}", (string table) => NoTable(table)).RequireToken(Role.Observer);
        return app;
    }

    private static IResult NoTable(string table) => ApiResults.Error(404, $"no table \"{table}\": Sluice keeps one table, user");

    private static Task<IResult> GetAsync(
        HttpContext http, string field, string value, string? fields, bool? segments, bool? explain,
        Partitioner partitioner, IGrainFactory grains, IAudienceStore audiences, MappingRegistry mappings, IOptions<LyticsEntityOptions> options) =>
        AnswerAsync(http, [field], value, fields, segments, explain, partitioner, grains, audiences, mappings, options.Value);

    private static async Task<IResult> GetByAnyIdentityAsync(
        HttpContext http, string value, string? fields, bool? segments, bool? explain,
        Partitioner partitioner, IGrainFactory grains, IAudienceStore audiences, MappingRegistry mappings, IOptions<LyticsEntityOptions> options)
    {
        var all = await mappings.ListAsync(http.Caller().Account.Id, http.RequestAborted);
        var identityFields = all.SelectMany(m => m.Mapping.IdentityFields).Distinct(StringComparer.Ordinal).ToList();
        return await AnswerAsync(http, identityFields, value, fields, segments, explain, partitioner, grains, audiences, mappings, options.Value);
    }

    private static async Task<IResult> AnswerAsync(
        HttpContext http, IReadOnlyList<string> candidateFields, string value, string? fields, bool? segments, bool? explain,
        Partitioner partitioner, IGrainFactory grains, IAudienceStore audiences, MappingRegistry mappings, LyticsEntityOptions options)
    {
        var account = http.Caller().Account;
        var partition = grains.GetGrain<IPartitionGrain>(partitioner.For(account.Id));
        var all = await mappings.ListAsync(account.Id, http.RequestAborted);
        var profile = await FindAsync(partition, account.Id, candidateFields, value, all.Select(m => m.Mapping));
        if (profile is null) return Missing(candidateFields, value, options);

        var only = string.IsNullOrWhiteSpace(fields)
            ? null
            : fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var data = ProfileView.Render(profile, only);
        if (segments != false) data["segments"] = (await ProfileSegments.ForAccountAsync(audiences, account.Id, http.RequestAborted))(profile.Document);
        var response = new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["format"] = "json",
                ["name"] = "user",
                ["by_fields"] = new JsonArray([.. profile.Document.Identities.Keys.Select(k => (JsonNode)k)]),
            },
            ["data"] = explain == true ? ProfileView.Fragments(profile, data) : data,
            ["status"] = 200,
            ["message"] = "success",
        };
        if (explain == true) response["explain"] = ProfileView.Explain(profile);
        return Results.Json(response, ApiJson.Options);
    }

    /// <summary>404, or Lytics' own answer when the server is set to give it (see <see cref="LyticsEntityOptions"/>).</summary>
    private static IResult Missing(IReadOnlyList<string> fields, string value, LyticsEntityOptions options)
    {
        // The value is not echoed: it is an identity value, and error bodies end up in client logs.
        var what = fields.Count == 1 ? $"with that {fields[0]}" : "with that identity value";
        if (!options.MissingAnswersOk) return ApiResults.Error(404, $"no profile {what}");
        return Results.Json(new JsonObject
        {
            ["data"] = new JsonObject { ["segments"] = new JsonArray("not_found", "all") },
            ["status"] = 200,
            ["message"] = "Not Found",
        }, ApiJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string field, string value, Partitioner partitioner, IGrainFactory grains, MappingRegistry mappings)
    {
        var account = http.Caller().Account;
        var partition = grains.GetGrain<IPartitionGrain>(partitioner.For(account.Id));
        var profile = await FindAsync(partition, account.Id, field, value, (await mappings.ListAsync(account.Id, http.RequestAborted)).Select(m => m.Mapping));
        if (profile is null) return ApiResults.Error(404, $"no profile with that {field}");
        var events = await partition.DeleteProfileAsync(account.Id, profile.Id);
        return events < 0
            ? ApiResults.Error(404, $"no profile with that {field}")
            : ApiResults.Ok(new { id = profile.Id, deleted = true, events_deleted = events });
    }

    /// <summary>The profile with <paramref name="value"/> in the first of <paramref name="fields"/> that has it (see the overload for one field).</summary>
    internal static async Task<StoredProfile?> FindAsync(
        IPartitionGrain partition, string accountId, IReadOnlyList<string> fields, string value, IEnumerable<CompiledMapping> mappings)
    {
        var compiled = mappings as IReadOnlyCollection<CompiledMapping> ?? [.. mappings];
        foreach (var field in fields)
        {
            if (await FindAsync(partition, accountId, field, value, compiled) is { } profile) return profile;
        }
        return null;
    }

    /// <summary>
    /// Through the partition grain, which holds the identity index and the profiles as processing last left them.
    /// Identity values are stored as their mapping normalised them, so a lookup tries the value as given, then as
    /// each mapping's column for the field would store it, then trimmed and lower-cased.
    /// </summary>
    internal static async Task<StoredProfile?> FindAsync(
        IPartitionGrain partition, string accountId, string field, string value, IEnumerable<CompiledMapping>? mappings = null)
    {
        long? id = null;
        if (field == "_id")
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) id = parsed;
        }
        else
        {
            IEnumerable<string> candidates = [value, .. (mappings ?? []).SelectMany(m => m.NormalizeIdentity(field, value)), value.Trim().ToLowerInvariant()];
            foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
            {
                id = await partition.FindProfileAsync(accountId, field, candidate);
                if (id is not null) break;
            }
        }
        return id is { } found && await partition.GetProfileAsync(accountId, found) is { } snapshot ? snapshot.ToProfile() : null;
    }
}
