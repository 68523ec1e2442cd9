using System.Globalization;
using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>Turns JSON record values into <see cref="Value"/>s: arrays become string lists, objects string maps.</summary>
internal static class JsonValues
{
    public static Value ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Value.FromString(element.GetString()),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? Value.FromLong(l) : Value.FromDouble(element.GetDouble()),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.Array => ToList(element),
        JsonValueKind.Object => Value.FromStringMap(element.EnumerateObject()
            .Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => KeyValuePair.Create(p.Name, ToText(p.Value)))),
        _ => Value.Null,
    };

    private static Value ToList(JsonElement array)
    {
        var items = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Null)
            {
                items.Add(ToText(item));
            }
        }

        return Value.FromOwnedArray([.. items]);
    }

    private static string ToText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() ?? string.Empty,
        JsonValueKind.Number => element.TryGetInt64(out var l)
            ? l.ToString(CultureInfo.InvariantCulture)
            : element.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };
}
