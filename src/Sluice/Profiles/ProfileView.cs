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
        foreach (var (name, entry) in p.Document.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (onlyFields is null || onlyFields.Contains(name)) data[name] = entry.Value?.DeepClone();
        }
        if (onlyFields is null || onlyFields.Contains("_uids"))
        {
            data["_uids"] = new JsonArray([.. p.Document.Identities.SelectMany(kv => kv.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]);
        }
        data["_created"] = ApiJson.Time(UnixMs.To(p.CreatedAtMs));
        data["_modified"] = ApiJson.Time(UnixMs.To(p.ModifiedAtMs));
        data["_last_event"] = ApiJson.Time(UnixMs.To(p.LastEventAtMs));
        var counts = new JsonObject();
        foreach (var (stream, n) in p.Document.EventsPerStream) counts[stream] = n;
        data["_num_events"] = counts;
        return data;
    }
}
