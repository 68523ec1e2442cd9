using Sluice.Query.Lql.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.Lql;

/// <summary>Converts an expression result to a column's KIND; a null result with a message means the field is skipped.</summary>
internal static class KindConverter
{
    public static Value Convert(Value value, FieldKind kind, out string? error)
    {
        error = null;
        var converted = kind switch
        {
            FieldKind.String => ToText(value),
            FieldKind.Int => ConversionFunctions.ToInt(value),
            FieldKind.Number => ConversionFunctions.ToNumber(value),
            FieldKind.Bool => ConversionFunctions.ToBool(value),
            FieldKind.Date => ConversionFunctions.ToDate(value),
            FieldKind.StringList => ToList(value),
            FieldKind.StringMap => ToStringMap(value),
            FieldKind.IntMap => ToIntMap(value),
            _ => ToTimeMap(value),
        };
        if (converted.IsNull)
        {
            error = $"cannot convert {Describe(value)} to {kind.ToLql()}";
        }

        return converted;
    }

    private static string Describe(Value value)
    {
        var text = value.ToString();
        return text.Length > 40 ? $"\"{text[..40]}...\"" : $"\"{text}\"";
    }

    private static Value ToText(Value value) => value.Kind switch
    {
        ValueKind.String => value,
        ValueKind.StringList => value.ListArray.Length == 1 ? Value.FromString(value.ListArray[0]) : Value.Null,
        ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => Value.Null,
        _ => Value.FromString(value.ToString()),
    };

    private static Value ToList(Value value) => value.Kind switch
    {
        ValueKind.StringList => value,
        ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => Value.Null,
        _ => Value.FromOwnedArray([value.ToString()]),
    };

    private static Value ToStringMap(Value value) => value.Kind switch
    {
        ValueKind.StringMap => value,
        ValueKind.IntMap => Value.FromStringMap(value.AsIntMap().Select(e => KeyValuePair.Create(e.Key, Value.FromLong(e.Value).ToString()))),
        ValueKind.TimeMap => Value.FromStringMap(value.AsTimeMap().Select(e => KeyValuePair.Create(e.Key, Value.FormatDate(e.Value)))),
        _ => Value.Null,
    };

    private static Value ToIntMap(Value value)
    {
        if (value.Kind == ValueKind.IntMap)
        {
            return value;
        }

        if (value.Kind != ValueKind.StringMap)
        {
            return Value.Null;
        }

        var entries = new List<KeyValuePair<string, long>>();
        foreach (var (key, text) in value.AsStringMap())
        {
            var n = ConversionFunctions.ToInt(Value.FromString(text));
            if (n.IsNull)
            {
                return Value.Null;
            }

            entries.Add(KeyValuePair.Create(key, n.AsLong()));
        }

        return Value.FromIntMap(entries);
    }

    private static Value ToTimeMap(Value value)
    {
        if (value.Kind == ValueKind.TimeMap)
        {
            return value;
        }

        IEnumerable<KeyValuePair<string, Value>> source = value.Kind switch
        {
            ValueKind.StringMap => value.AsStringMap().Select(e => KeyValuePair.Create(e.Key, Value.FromString(e.Value))),
            ValueKind.IntMap => value.AsIntMap().Select(e => KeyValuePair.Create(e.Key, Value.FromLong(e.Value))),
            _ => [],
        };
        if (value.Kind is not (ValueKind.StringMap or ValueKind.IntMap))
        {
            return Value.Null;
        }

        var entries = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var (key, item) in source)
        {
            var date = ConversionFunctions.ToDate(item);
            if (date.IsNull)
            {
                return Value.Null;
            }

            entries.Add(KeyValuePair.Create(key, date.AsDate()));
        }

        return Value.FromTimeMap(entries);
    }
}
