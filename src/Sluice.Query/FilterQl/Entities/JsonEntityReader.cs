using System.Text.Json;
using Sluice.Query.Lql.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl;

/// <summary>
/// Turns a JSON entity (as posted to the audience test API) into field values shaped like a stored profile's:
/// strings stay strings except ISO-8601 timestamps, which become dates (the form the profile API renders dates in);
/// integers become longs and other numbers doubles; arrays become string lists; objects become maps (of integers
/// when every value is an integer, of times when every value is a timestamp, else of strings); nulls are absent.
/// </summary>
public static class JsonEntityReader
{
    public static Dictionary<string, Value> Read(JsonElement entity)
    {
        if (entity.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The entity must be a JSON object.", nameof(entity));
        }

        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var property in entity.EnumerateObject())
        {
            var value = ToValue(property.Value);
            if (!value.IsNull)
            {
                fields[property.Name] = value;
            }
        }

        return fields;
    }

    public static Value ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => FromText(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? Value.FromLong(l) : Value.FromDouble(element.GetDouble()),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.Array => Value.FromList(element.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(Text)),
        JsonValueKind.Object => FromObject(element),
        _ => Value.Null,
    };

    private static Value FromText(string text) =>
        IsTimestamp(text) && DateParser.Parse(text) is { } date ? Value.FromDate(date) : Value.FromString(text);

    /// <summary>Only full ISO-8601 date-times; plain dates and numbers could as well be codes or names.</summary>
    internal static bool IsTimestamp(string s) =>
        s.Length >= 16 && s.Length <= 40
        && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3])
        && s[4] == '-' && char.IsAsciiDigit(s[5]) && char.IsAsciiDigit(s[6]) && s[7] == '-'
        && char.IsAsciiDigit(s[8]) && char.IsAsciiDigit(s[9]) && s[10] is 'T' or 't' or ' '
        && char.IsAsciiDigit(s[11]) && char.IsAsciiDigit(s[12]) && s[13] == ':';

    private static Value FromObject(JsonElement element)
    {
        var properties = element.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToList();
        if (properties.Count > 0 && properties.All(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out _)))
        {
            return Value.FromIntMap(properties.Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())));
        }

        if (properties.Count > 0 && properties.All(p => p.Value.ValueKind == JsonValueKind.String && IsTimestamp(p.Value.GetString()!)
                && DateParser.Parse(p.Value.GetString()!) is not null))
        {
            return Value.FromTimeMap(properties.Select(p => KeyValuePair.Create(p.Name, DateParser.Parse(p.Value.GetString()!)!.Value)));
        }

        return Value.FromStringMap(properties.Select(p => KeyValuePair.Create(p.Name, Text(p.Value))));
    }

    private static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => element.GetRawText(),
        _ => element.GetRawText(),
    };
}
