using System.Text.Json.Nodes;
using Sluice.Api;
using System.Text.Json;
using Sluice.Auth;
using Sluice.EventLog;
using Sluice.Profiles;

namespace Sluice.Mapping;

/// <summary>
/// Lytics' <c>/api/schema</c>, derived from the account's mappings (Sluice's schema is its mappings):
/// <c>/api/schema</c> maps each table (Sluice has one, <c>user</c>) to its schema; <c>/api/schema/user</c> lists the
/// profile fields with their types and the streams that write them, and
/// <c>/api/schema/_streams</c> the streams that have a mapping or events, with counts, fields and recent events
/// (and <see cref="StreamLagApi"/> one stream's lag from collect to profile).
/// A table Sluice does not have answers an empty object, as Lytics does (lytics-js reads that as "no such table").
/// </summary>
internal static class SchemaApi
{
    public static IEndpointRouteBuilder MapSchema(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schema").RequireToken(Role.Observer).WithTags("Schema");
        group.MapGet("/", TablesAsync);
        group.MapGet("/_streams", StreamsAsync);
        group.MapStreamLag();
        group.MapGet("/{table}", TableAsync);
        group.MapGet("/{table}/fieldinfo", FieldInfoAsync);
        return app;
    }

    private static async Task<IResult> TablesAsync(HttpContext http, MappingRegistry registry)
    {
        var all = (await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted)).Select(m => m.Mapping).ToList();
        return ApiResults.Ok(new JsonObject(all.GroupBy(m => m.Table, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)Schema([.. g])))));
    }

    private static async Task<IResult> TableAsync(HttpContext http, string table, MappingRegistry registry)
    {
        var all = (await registry.ListAsync(http.Caller().Account.Id, http.RequestAborted)).Select(m => m.Mapping)
            .Where(m => string.Equals(m.Table, table, StringComparison.OrdinalIgnoreCase)).ToList();
        return ApiResults.Ok(all.Count == 0 ? new JsonObject() : Schema(all));
    }

    /// <summary>
    /// <c>fieldinfo?fields=a,b&amp;limit=N</c>: per field, the profiles that have it and its most frequent values
    /// (<c>limit</c> of them, 20 by default), read from every stored profile. A table or field that no mapping
    /// writes is a 400, as in Lytics.
    /// </summary>
    private static async Task<IResult> FieldInfoAsync(HttpContext http, string table, string? fields, string? limit, MappingRegistry registry, IProfileStore profiles)
    {
        const int page = 1000;
        var take = 20;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > 1000))
        {
            return ApiResults.Error(400, "limit must be a whole number from 1 to 1000");
        }
        var account = http.Caller().Account;
        var known = (await registry.ListAsync(account.Id, http.RequestAborted)).Select(m => m.Mapping)
            .Where(m => string.Equals(m.Table, table, StringComparison.OrdinalIgnoreCase))
            .SelectMany(m => m.Fields.Select(f => f.Name)).ToHashSet(StringComparer.Ordinal);
        if (known.Count == 0) return ApiResults.Error(400, $"no table \"{table}\": Sluice keeps one table, user");
        var names = (fields ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count is 0 or > 20) return ApiResults.Error(400, "fields must name 1 to 20 fields of the table, comma-separated");
        if (names.FirstOrDefault(n => !known.Contains(n)) is { } unknown) return ApiResults.Error(400, $"no field \"{unknown}\" in table {table}: no mapping writes it");

        var infos = names.Select(n => new FieldInfo(n)).ToList();
        long after = 0;
        while (true)
        {
            var rows = await profiles.ScanAsync(account.Id, after, page, http.RequestAborted);
            foreach (var row in rows)
            {
                var doc = ProfileDocument.Deserialize(row.Doc);
                foreach (var info in infos) info.Add(doc);
            }
            if (rows.Count < page) break;
            after = rows[^1].Id;
        }
        return ApiResults.Ok(new JsonObject
        {
            ["table"] = table,
            ["fields"] = new JsonArray([.. infos.Select(i => (JsonNode)i.ToJson(take))]),
        });
    }

    /// <summary>One table's schema: its identity fields and its fields, from the mappings that write it.</summary>
    private static JsonObject Schema(IReadOnlyList<Query.Lql.CompiledMapping> all)
    {
        var columns = new JsonArray();
        foreach (var group in all.SelectMany(m => m.Fields.Select(f => (Field: f, m.Stream))).GroupBy(x => x.Field.Name, StringComparer.Ordinal))
        {
            // Mappings agree on a field's kind and merge (a disagreeing one is refused), so the first speaks for all.
            columns.Add(QueryView.Field(group.First().Field, group.Select(x => x.Stream)));
        }
        return new JsonObject
        {
            ["name"] = all[0].Table,
            ["by_fields"] = new JsonArray([.. all.SelectMany(m => m.IdentityFields).Distinct(StringComparer.Ordinal).Select(f => (JsonNode)f)]),
            ["columns"] = columns,
        };
    }

    /// <summary>Recent events shown per stream, as Lytics shows a few.</summary>
    private const int RecentEvents = 3;

    /// <summary>
    /// Every stream that has a mapping or events: its event count and newest receipt (<c>ct</c>, <c>last_msg_ts</c> in
    /// Unix ms as a string, as Lytics gives it), the record fields its mappings read and the profile fields they feed,
    /// other fields seen in its recent events, and those events (<c>recent_events</c>, each field a list of strings,
    /// the shape go-lytics decodes and the CLI's <c>schema queries watch</c> evaluates when it has no sample file).
    /// </summary>
    private static async Task<IResult> StreamsAsync(HttpContext http, MappingRegistry registry, IStreamCatalog catalog)
    {
        var account = http.Caller().Account;
        var ct = http.RequestAborted;
        var mapped = (await registry.ListAsync(account.Id, ct)).Select(m => m.Mapping).ToLookup(m => m.Stream, StringComparer.Ordinal);
        var logged = (await catalog.StreamsAsync(account.Id, ct)).ToDictionary(s => s.Stream, StringComparer.Ordinal);
        var streams = new JsonArray();
        foreach (var name in mapped.Select(g => g.Key).Union(logged.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var recent = logged.ContainsKey(name) ? await catalog.RecentAsync(account.Id, name, RecentEvents, ct) : [];
            var events = recent.Select(e => RecentEvent(e.Body)).OfType<JsonObject>().ToList();
            var fields = new JsonArray();
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in mapped[name].SelectMany(m => m.Lineage.Select(l => (l.Source, l.Field, m.Table))).GroupBy(l => l.Source, StringComparer.Ordinal))
            {
                named.Add(source.Key);
                fields.Add(new JsonObject
                {
                    ["name"] = source.Key,
                    ["column"] = new JsonArray([.. source.Select(l => (JsonNode)new JsonObject { ["as"] = l.Field, ["table"] = l.Table })]),
                    ["hidden"] = false,
                });
            }
            foreach (var seen in events.SelectMany(e => e.Select(p => p.Key)).Where(named.Add))
            {
                fields.Add(new JsonObject { ["name"] = seen, ["column"] = new JsonArray(), ["hidden"] = false });
            }
            var summary = logged.GetValueOrDefault(name);
            streams.Add(new JsonObject
            {
                ["stream"] = name,
                ["ct"] = summary?.Events ?? 0,
                ["last_msg_ts"] = summary is null ? null : summary.LastReceivedMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["queries"] = new JsonArray([.. mapped[name].Select(m => (JsonNode)m.Alias)]),
                ["fields"] = fields,
                ["recent_events"] = new JsonArray([.. events]),
                ["hidden"] = false,
            });
        }
        return ApiResults.Ok(streams);
    }

    /// <summary>An event as Lytics lists it: each top-level field a list of strings (objects as their JSON text).</summary>
    private static JsonObject? RecentEvent(byte[] body)
    {
        try
        {
            if (!JsonStrings.TryParse(body, out var doc, out _)) return null;
            using var parsed = doc;
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var e = new JsonObject();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                IEnumerable<JsonElement> items = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray() : [p.Value];
                e[p.Name] = new JsonArray([.. items.Where(i => i.ValueKind != JsonValueKind.Null)
                    .Select(i => (JsonNode)(i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()))]);
            }
            return e;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Damaged or undecodable: left out of the sample rather than failing the listing.
            return null;
        }
    }
}
