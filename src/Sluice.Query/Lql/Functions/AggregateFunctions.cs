using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// Per-record halves of the aggregates: each produces what one event contributes, and the column's merge
/// operator (SET, COUNT, SUM, MIN, MAX by default) combines contributions across events.
/// </summary>
internal static class AggregateFunctions
{
    public static Value Set(Value value) => value.Kind switch
    {
        ValueKind.Null => Value.Null,
        ValueKind.StringList => value,
        _ when value.IsEmpty => Value.Null,
        _ => Value.FromOwnedArray([value.ToString()]),
    };

    public static Value Count(Value value) => value.Kind switch
    {
        ValueKind.StringList => value.ListArray.Length == 0 ? Value.Null : Value.FromLong(value.ListArray.Length),
        _ when value.IsEmpty => Value.Null,
        _ => Value.FromLong(1),
    };

    public static Value Sum(Value value)
    {
        if (value.Kind != ValueKind.StringList)
        {
            return ConversionFunctions.ToNumber(value);
        }

        var total = Value.Null;
        foreach (var item in value.ListArray)
        {
            if (Coerce.ToNumber(item) is { } n)
            {
                total = total.IsNull ? n : Numbers.Add(total, n);
            }
        }

        return total;
    }

    public static Value Min(Value value) => Pick(value, smallest: true);

    public static Value Max(Value value) => Pick(value, smallest: false);

    private static Value Pick(Value value, bool smallest)
    {
        if (value.Kind != ValueKind.StringList)
        {
            return Comparable(value);
        }

        var best = Value.Null;
        foreach (var item in value.ListArray)
        {
            var candidate = Comparable(Value.FromString(item));
            if (candidate.IsNull)
            {
                continue;
            }

            if (best.IsNull || (smallest ? candidate < best : candidate > best))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Numeric text compares as a number; other values (dates, words) compare as they are.</summary>
    private static Value Comparable(Value value) =>
        value.Kind == ValueKind.String ? Coerce.ToNumber(value.AsString()) ?? (value.IsEmpty ? Value.Null : value) : value;
}
