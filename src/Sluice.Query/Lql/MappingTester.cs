using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Query.Lql;

/// <summary>What a mapping would write for a sample record (<c>POST /api/query/_test</c>).</summary>
public sealed record MappingTestResult(
    bool Included,
    IReadOnlyDictionary<string, JsonNode?> Fields,
    IReadOnlyList<KeyValuePair<string, string>> Identities,
    IReadOnlyList<FieldError> Errors)
{
    /// <summary><c>{"included":..,"fields":{..},"identities":[{"field":..,"value":..}],"errors":[{"field":..,"message":..}]}</c></summary>
    public JsonObject ToJson()
    {
        var fields = new JsonObject();
        foreach (var (name, value) in Fields)
        {
            fields[name] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["included"] = Included,
            ["fields"] = fields,
            ["identities"] = new JsonArray([.. Identities.Select(i => (JsonNode)new JsonObject { ["field"] = i.Key, ["value"] = i.Value })]),
            ["errors"] = new JsonArray([.. Errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message })]),
        };
    }
}

public static class MappingTester
{
    /// <summary>
    /// Evaluates a flat record such as a query string. A key given several times becomes an array, as a
    /// repeated query parameter would in a collected event.
    /// </summary>
    public static MappingTestResult Test(CompiledMapping mapping, IEnumerable<KeyValuePair<string, string>> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var obj = new JsonObject();
        foreach (var group in record.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var values = group.Select(p => p.Value).ToList();
            obj[group.Key] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        using var doc = JsonDocument.Parse(obj.ToJsonString());
        return Test(mapping, doc.RootElement);
    }

    public static MappingTestResult Test(CompiledMapping mapping, JsonElement record)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var mapped = mapping.Map(record);
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var field in mapped.Fields)
        {
            fields[field.Name] = field.Value.ToJsonNode();
        }

        return new MappingTestResult(mapped.Included, fields, mapped.Identities, mapped.Errors);
    }
}
