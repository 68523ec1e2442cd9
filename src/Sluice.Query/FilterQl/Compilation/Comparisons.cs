using Sluice.Query.Lql.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// How two values compare, following qlbridge: a number against a numeric string compares as numbers; a date against
/// anything that reads as a date compares as dates, to the whole second; strings are equal only when identical
/// (case-sensitive); booleans equal booleans and boolean words. Where qlbridge cannot compare (a word ordered against a
/// word, a number against a word) the answer is <see cref="Tri.Unknown"/>. Two strings that both read as numbers, or
/// both as dates, also order as such, which qlbridge leaves unknown.
/// </summary>
internal static class Comparisons
{
    /// <summary>A missing side (null) makes <c>!=</c> true and every other comparison false.</summary>
    public static Tri Compare(Value a, CompareOp op, Value b)
    {
        if (a.IsNull || b.IsNull)
        {
            return TriExtensions.From(op == CompareOp.NotEqual);
        }

        if (a.Kind == ValueKind.StringList)
        {
            return AnyElement(a.ListArray, op, b, elementFirst: true);
        }

        if (b.Kind == ValueKind.StringList)
        {
            return AnyElement(b.ListArray, op, a, elementFirst: false);
        }

        return Scalar(a, op, b);
    }

    /// <summary>
    /// A list matches when any element does; <c>!=</c> holds when no element is equal. An empty list matches nothing
    /// (and so is unequal to everything).
    /// </summary>
    private static Tri AnyElement(string[] items, CompareOp op, Value other, bool elementFirst)
    {
        if (op == CompareOp.NotEqual)
        {
            return AnyElement(items, CompareOp.Equal, other, elementFirst).Not();
        }

        foreach (var item in items)
        {
            var element = Value.FromString(item);
            var r = elementFirst ? Scalar(element, op, other) : Scalar(other, op, element);
            if (r == Tri.True)
            {
                return Tri.True;
            }
        }

        return Tri.False;
    }

    public static Tri Scalar(Value a, CompareOp op, Value b)
    {
        if (a.Kind == ValueKind.Date || b.Kind == ValueKind.Date)
        {
            return ToDate(a) is { } da && ToDate(b) is { } db
                ? TriExtensions.From(op.Holds(Seconds(da).CompareTo(Seconds(db))))
                : Tri.Unknown;
        }

        if (a.IsNumber || b.IsNumber)
        {
            return ToNumber(a) is { } na && ToNumber(b) is { } nb
                ? TriExtensions.From(op.Holds(Value.CompareNumbers(na, nb)))
                : Tri.Unknown;
        }

        if (a.Kind == ValueKind.Bool || b.Kind == ValueKind.Bool)
        {
            return CompareBools(a, op, b);
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return CompareStrings(a.AsString(), op, b.AsString());
        }

        return op == CompareOp.NotEqual ? Tri.True : op == CompareOp.Equal ? Tri.False : Tri.Unknown;
    }

    private static Tri CompareStrings(string a, CompareOp op, string b)
    {
        if (op is CompareOp.Equal or CompareOp.NotEqual)
        {
            return TriExtensions.From(string.Equals(a, b, StringComparison.Ordinal) == (op == CompareOp.Equal));
        }

        if (Coerce.ToNumber(a) is { } na && Coerce.ToNumber(b) is { } nb)
        {
            return TriExtensions.From(op.Holds(Value.CompareNumbers(na, nb)));
        }

        if (DateParser.Parse(a) is { } da && DateParser.Parse(b) is { } db)
        {
            return TriExtensions.From(op.Holds(Seconds(da).CompareTo(Seconds(db))));
        }

        return Tri.Unknown;
    }

    private static Tri CompareBools(Value a, CompareOp op, Value b)
    {
        if (op is not (CompareOp.Equal or CompareOp.NotEqual))
        {
            return Tri.Unknown;
        }

        var ba = ToBool(a);
        var bb = ToBool(b);
        if (ba is null || bb is null)
        {
            // A boolean is never equal to a word that is not a boolean.
            return TriExtensions.From(op == CompareOp.NotEqual);
        }

        return TriExtensions.From((ba == bb) == (op == CompareOp.Equal));
    }

    /// <summary>Go's strconv.ParseBool words, which qlbridge accepts for booleans.</summary>
    public static bool? ToBool(Value v) => v.Kind switch
    {
        ValueKind.Bool => v.AsBool(),
        ValueKind.String => v.AsString() switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => null,
        },
        _ => null,
    };

    public static Value? ToNumber(Value v) => v.Kind switch
    {
        ValueKind.Long or ValueKind.Double => v,
        ValueKind.String => Coerce.ToNumber(v.AsString()),
        _ => null,
    };

    public static DateTimeOffset? ToDate(Value v) => v.Kind switch
    {
        ValueKind.Date => v.AsDate(),
        ValueKind.String => DateParser.Parse(v.AsString()),
        ValueKind.Long => DateParser.FromUnix(v.AsLong()),
        _ => null,
    };

    /// <summary>qlbridge compares times by their Unix seconds.</summary>
    public static long Seconds(DateTimeOffset d) => d.UtcTicks / TimeSpan.TicksPerSecond;

    /// <summary>The text a value has for substring, key and LIKE tests.</summary>
    public static string Text(Value v) => v.ToString();
}
