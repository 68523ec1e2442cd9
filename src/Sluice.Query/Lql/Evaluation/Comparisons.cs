using Sluice.Query.Lql.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>
/// Loose comparison as record data needs it: "42" equals 42, a date equals its text form, and a list
/// equals a value when any of its items does. Otherwise text compares ordinally.
/// </summary>
internal static class Comparisons
{
    public static bool AreEqual(Value a, Value b)
    {
        if (a.IsNull || b.IsNull)
        {
            return a.IsNull && b.IsNull;
        }

        if (a.Kind == ValueKind.StringList)
        {
            return a.ListArray.Any(item => AreEqual(Value.FromString(item), b));
        }

        return Compare(a, b) == 0;
    }

    /// <summary>Null when the two cannot be ordered (one side missing).</summary>
    public static int? Compare(Value a, Value b)
    {
        if (a.IsNull || b.IsNull)
        {
            return null;
        }

        if (a.IsNumber || b.IsNumber)
        {
            var x = AsNumber(a);
            var y = AsNumber(b);
            if (x is { } nx && y is { } ny)
            {
                return Value.CompareNumbers(nx, ny);
            }
        }

        if (a.Kind == ValueKind.Date || b.Kind == ValueKind.Date)
        {
            var x = AsDate(a);
            var y = AsDate(b);
            if (x is { } dx && y is { } dy)
            {
                return dx.CompareTo(dy);
            }
        }

        if (a.Kind == ValueKind.Bool || b.Kind == ValueKind.Bool)
        {
            return Truth.IsTrue(a).CompareTo(Truth.IsTrue(b));
        }

        return string.CompareOrdinal(a.ToString(), b.ToString());
    }

    private static Value? AsNumber(Value v) => v.Kind switch
    {
        ValueKind.Long or ValueKind.Double => v,
        ValueKind.String => Coerce.ToNumber(v.AsString()),
        _ => null,
    };

    private static DateTimeOffset? AsDate(Value v) => v.Kind switch
    {
        ValueKind.Date => v.AsDate(),
        ValueKind.String => DateParser.Parse(v.AsString()),
        _ => null,
    };
}
