using System.Text.Json;
using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>qlbridge's map functions: building maps from a record (<c>match</c>, <c>map</c>, <c>valuect</c>) and reading them.</summary>
internal static class MapFunctions
{
    /// <summary>
    /// <c>match("user.", ...)</c>: every top-level field of the record whose name starts with one of the prefixes, keyed
    /// by the rest of its name. Nested objects under the prefix without its dot (<c>{"user":{"city":..}}</c>) count too.
    /// </summary>
    public static Func<JsonElement, Value> Match(IReadOnlyList<string> prefixes) => record =>
    {
        if (record.ValueKind != JsonValueKind.Object) return Value.Null;
        var found = new List<KeyValuePair<string, string>>();
        foreach (var property in record.EnumerateObject())
        {
            foreach (var prefix in prefixes)
            {
                if (prefix.Length > 0 && property.Name.Length > prefix.Length && property.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var value = JsonValues.ToValue(property.Value);
                    if (!value.IsEmpty) found.Add(KeyValuePair.Create(property.Name[prefix.Length..], value.ToString()));
                    break;
                }
                if (prefix.EndsWith('.') && property.Name == prefix[..^1] && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        var value = JsonValues.ToValue(inner.Value);
                        if (!value.IsEmpty) found.Add(KeyValuePair.Create(inner.Name, value.ToString()));
                    }
                    break;
                }
            }
        }
        return found.Count == 0 ? Value.Null : Value.FromStringMap(found);
    };

    /// <summary><c>map(key, value)</c>: a one-entry map; KIND map[string]int or map[string]time converts the value.</summary>
    public static Value Map(Value key, Value value) =>
        key.IsEmpty || value.IsEmpty ? Value.Null : Value.FromStringMap([KeyValuePair.Create(key.ToString(), value.ToString())]);

    /// <summary><c>valuect(x)</c>: a count per value (a list counts each item); summed across events by its merge.</summary>
    public static Value ValueCount(Value value)
    {
        if (value.IsEmpty) return Value.Null;
        var items = value.Kind == ValueKind.StringList ? value.ListArray : [value.ToString()];
        return Value.FromIntMap(items.Where(i => i.Length > 0).GroupBy(i => i, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, (long)g.Count())));
    }

    public static Value Keys(Value map) => map.Kind switch
    {
        ValueKind.StringMap => Value.FromList(map.AsStringMap().Keys),
        ValueKind.IntMap => Value.FromList(map.AsIntMap().Keys),
        ValueKind.TimeMap => Value.FromList(map.AsTimeMap().Keys),
        _ => Value.Null,
    };

    public static Value Values(Value map) => map.Kind switch
    {
        ValueKind.StringMap => Value.FromList(map.AsStringMap().Values),
        ValueKind.IntMap => Value.FromList(map.AsIntMap().Values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ValueKind.TimeMap => Value.FromList(map.AsTimeMap().Values.Select(Value.FormatDate)),
        _ => Value.Null,
    };

    public static Value Invert(Value map) => map.Kind == ValueKind.StringMap
        ? Value.FromStringMap(map.AsStringMap().Select(kv => KeyValuePair.Create(kv.Value, kv.Key)))
        : Value.Null;
}
