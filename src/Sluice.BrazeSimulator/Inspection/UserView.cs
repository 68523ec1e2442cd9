using System.Text.Json.Nodes;
using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Inspection;

/// <summary>A profile as JSON for the inspection endpoints. Built under the store lock, so it is a snapshot.</summary>
internal static class UserView
{
    public static JsonObject ToJson(SimUser user)
    {
        var aliases = new JsonArray();
        foreach (var alias in user.Aliases)
        {
            aliases.Add(new JsonObject { ["alias_name"] = alias.Name, ["alias_label"] = alias.Label });
        }

        var attributes = new JsonObject();
        foreach (var (name, value) in user.Attributes)
        {
            attributes[name] = ToNode(value);
        }

        var events = new JsonObject();
        foreach (var (name, tally) in user.Events)
        {
            events[name] = new JsonObject
            {
                ["count"] = tally.Count,
                ["first"] = new SimTime(tally.First).ToString(),
                ["last"] = new SimTime(tally.Last).ToString(),
            };
        }

        var purchases = new JsonObject();
        foreach (var (product, tally) in user.Purchases)
        {
            purchases[product] = new JsonObject { ["count"] = tally.Count, ["total"] = tally.Total, ["currency"] = tally.Currency };
        }

        return new JsonObject
        {
            ["external_id"] = user.ExternalId,
            ["braze_id"] = user.BrazeId,
            ["user_aliases"] = aliases,
            ["attributes"] = attributes,
            ["custom_events"] = events,
            ["purchases"] = purchases,
            ["created_at"] = new SimTime(user.CreatedAt).ToString(),
            ["updated_at"] = new SimTime(user.UpdatedAt).ToString(),
        };
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        SimTime t => JsonValue.Create(t.ToString()),
        List<object> list => new JsonArray(list.Select(ToNode).ToArray()),
        Dictionary<string, object> dict => new JsonObject(dict.Select(kv => KeyValuePair.Create(kv.Key, ToNode(kv.Value)))),
        _ => JsonValue.Create(value.ToString()),
    };
}
