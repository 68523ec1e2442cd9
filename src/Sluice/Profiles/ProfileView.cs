using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Storage;

namespace Sluice.Profiles;

/// <summary>
/// Renders a stored profile in the Lytics entity shape: plain fields plus the <c>_</c>-prefixed system fields.
/// <c>_uids</c> keeps Lytics' meaning (the profile's cookie ids, <c>_uid</c>); every identity value, by field, is in
/// Sluice's own <c>_identities</c>.
/// </summary>
internal static class ProfileView
{
    public static JsonObject Render(StoredProfile p, IReadOnlyCollection<string>? onlyFields)
    {
        var data = new JsonObject();
        foreach (var (name, field) in p.Document.Fields)
        {
            if (onlyFields is null || onlyFields.Contains(name)) data[name] = field.Value.ToJsonNode();
        }
        if (onlyFields is null || onlyFields.Contains("_uids"))
        {
            data["_uids"] = new JsonArray([.. Uids(p).Select(v => (JsonNode)v)]);
        }
        if (onlyFields is null || onlyFields.Contains("_identities"))
        {
            data["_identities"] = new JsonObject(p.Document.Identities.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
                KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]))));
        }
        data["_id"] = p.Id;
        data["_created"] = ApiJson.Time(UnixMs.To(p.CreatedAtMs));
        data["_modified"] = ApiJson.Time(UnixMs.To(p.ModifiedAtMs));
        data["_last_event"] = ApiJson.Time(UnixMs.To(p.LastEventAtMs));
        var counts = new JsonObject();
        foreach (var (stream, n) in p.Document.EventsPerStream) counts[stream] = n;
        data["_num_events"] = counts;
        return data;
    }

    /// <summary>The cookie ids (<c>_uid</c>) of the profile, as an identity or as a field.</summary>
    private static IEnumerable<string> Uids(StoredProfile p)
    {
        var uids = new SortedSet<string>(StringComparer.Ordinal);
        if (p.Document.Identities.TryGetValue("_uid", out var ids)) uids.UnionWith(ids);
        if (p.Document.Fields.TryGetValue("_uid", out var field))
        {
            var v = field.Value.Value;
            if (v.Kind == Query.Values.ValueKind.StringList) uids.UnionWith(v.AsList());
            else if (!v.IsEmpty) uids.Add(v.ToString());
        }
        return uids;
    }

    /// <summary>
    /// What lytics-js' <c>getFragments</c> reads from <c>?explain=true</c>: the entity, its identity keys, and a
    /// fragment per identity value (its key, the profile's other keys as neighbours, the streams that carried it).
    /// Sluice keeps no per-event fragments, so a fragment's <c>fragment</c> holds only its own key's value.
    /// </summary>
    public static JsonObject Fragments(StoredProfile p, JsonObject entity)
    {
        const int MaxFragments = 1000;
        const int MaxNeighbors = 100;
        // A profile may hold thousands of identity values (cookie ids); every fragment naming every other would grow
        // with their square, so fragments and their neighbours are capped.
        var keys = p.Document.Identities.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.Order(StringComparer.Ordinal).Select(v => (Field: kv.Key, Value: v))).Take(MaxFragments).ToList();
        JsonObject Key((string Field, string Value) k) => new() { ["key"] = k.Field, ["value"] = k.Value };
        var fragments = new JsonArray();
        foreach (var k in keys)
        {
            var streams = p.Document.Sources.TryGetValue(k.Field + ":" + k.Value, out var found) ? found : (IEnumerable<string>)[];
            fragments.Add(new JsonObject
            {
                ["key"] = new JsonArray(Key(k)),
                ["neighbors"] = new JsonArray([.. keys.Where(o => o != k).Take(MaxNeighbors).Select(o => (JsonNode)Key(o))]),
                ["fragment"] = new JsonObject { [k.Field] = k.Value },
                ["meta"] = new JsonObject { ["streams"] = new JsonArray([.. streams.Select(s => (JsonNode)s)]), ["conflict"] = false },
            });
        }
        return new JsonObject
        {
            ["entity"] = entity,
            ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)Key(k))]),
            ["fragments"] = fragments,
        };
    }

    /// <summary>How the profile came to be: each identity value with the streams that carried it, and the merged ids.</summary>
    public static JsonObject Explain(StoredProfile p)
    {
        var identities = new JsonArray();
        foreach (var (name, values) in p.Document.Identities)
        {
            foreach (var value in values)
            {
                var streams = p.Document.Sources.TryGetValue(name + ":" + value, out var found) ? found : (IEnumerable<string>)[];
                identities.Add(new JsonObject
                {
                    ["field"] = name,
                    ["value"] = value,
                    ["streams"] = new JsonArray([.. streams.Select(s => (JsonNode)s)]),
                });
            }
        }
        return new JsonObject
        {
            ["identities"] = identities,
            ["merged_profiles"] = new JsonArray([.. p.Document.Merged.Select(id => (JsonNode)id)]),
            ["fields"] = new JsonObject(p.Document.Fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)new JsonObject
            {
                ["merge_op"] = f.Value.Op.ToString().ToUpperInvariant(),
                ["event_time"] = ApiJson.Time(UnixMs.To(f.Value.Value.EventTime)),
            }))),
        };
    }
}
