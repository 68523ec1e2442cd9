using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

internal static class ConversionFunctions
{
    public static Value ToInt(Value value) => value.Kind switch
    {
        ValueKind.Long => value,
        ValueKind.Double => Truncate(value.AsDouble()),
        ValueKind.String => Coerce.ToNumber(value.AsString()) is { } n ? ToInt(n) : Value.Null,
        ValueKind.Bool => Value.FromLong(value.AsBool() ? 1 : 0),
        _ => Value.Null,
    };

    public static Value ToNumber(Value value) => value.Kind switch
    {
        ValueKind.Long or ValueKind.Double => value,
        ValueKind.String => Coerce.ToNumber(value.AsString()) ?? Value.Null,
        ValueKind.Bool => Value.FromLong(value.AsBool() ? 1 : 0),
        _ => Value.Null,
    };

    public static Value ToDate(Value value) => value.Kind switch
    {
        ValueKind.Date => value,
        ValueKind.String => DateParser.Parse(value.AsString()) is { } d ? Value.FromDate(d) : Value.Null,
        ValueKind.Long => DateParser.FromUnix(value.AsLong()) is { } d ? Value.FromDate(d) : Value.Null,
        ValueKind.Double => DateParser.FromUnix(value.AsDouble()) is { } d ? Value.FromDate(d) : Value.Null,
        _ => Value.Null,
    };

    // What ToInt, ToNumber and ToDate give for a string value, from its text where it lies (FieldConversionExpr).
    public static Value TextToInt(ReadOnlySpan<char> text) => Coerce.ToNumber(text) is { } n ? ToInt(n) : Value.Null;

    public static Value TextToNumber(ReadOnlySpan<char> text) => Coerce.ToNumber(text) ?? Value.Null;

    public static Value TextToDate(ReadOnlySpan<char> text) => DateParser.Parse(text) is { } d ? Value.FromDate(d) : Value.Null;

    public static Func<Value, Value> ToDateWithLayout(string layout) => value =>
        value.Kind == ValueKind.String && DateParser.ParseExact(value.AsString(), layout) is { } d
            ? Value.FromDate(d)
            : ToDate(value);

    // Lifted once: lifting per call allocated a closure and a delegate for every event.
    private static readonly Func<Value, Value> LiftedPhone = Lift.Text(PhoneNormalizer.Normalize);

    public static Value Phone(Value value) => LiftedPhone(value);

    private static Value Truncate(double d) =>
        d is >= -9.2233720368547758E18 and < 9.2233720368547758E18 ? Value.FromLong((long)Math.Truncate(d)) : Value.Null;

    public static Value ToBool(Value value) => value.Kind switch
    {
        ValueKind.Bool => value,
        ValueKind.Long => value.AsLong() is 0 or 1 ? Value.FromBool(value.AsLong() == 1) : Value.Null,
        ValueKind.String => Truth.ParseBool(value.AsString()) is { } b ? Value.FromBool(b) : Value.Null,
        _ => Value.Null,
    };
}
