using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Storage;

namespace Sluice.Profiles;

/// <summary>Renders a stored profile in the Lytics entity shape: plain fields plus the <c>_</c>-prefixed system fields.</summary>
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
            data["_uids"] = new JsonArray([.. p.Document.Identities.SelectMany(kv => kv.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]);
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
