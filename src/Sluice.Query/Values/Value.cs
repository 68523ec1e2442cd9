using System.Collections.Immutable;

namespace Sluice.Query.Values;

/// <summary>
/// One field value as it flows through a mapping and into a profile. A small struct so that scalar values
/// (numbers, booleans, dates) travel without allocating; strings, lists and maps hold a reference.
/// </summary>
public readonly partial struct Value
{
    // Long, bool (0/1), date (UTC ticks) and double (raw bits) share one slot; strings, lists and maps use the other.
    private readonly long _bits;
    private readonly object? _ref;

    private Value(ValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
    }

    public ValueKind Kind { get; }

    public static Value Null => default;

    public static Value True { get; } = new(ValueKind.Bool, 1, null);

    public static Value False { get; } = new(ValueKind.Bool, 0, null);

    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>Null, an empty or blank string, or an empty list or map: nothing worth writing.</summary>
    public bool IsEmpty => Kind switch
    {
        ValueKind.Null => true,
        ValueKind.String => string.IsNullOrWhiteSpace((string)_ref!),
        ValueKind.StringList => ((string[])_ref!).Length == 0,
        ValueKind.StringMap => ((ImmutableSortedDictionary<string, string>)_ref!).Count == 0,
        ValueKind.IntMap => ((ImmutableSortedDictionary<string, long>)_ref!).Count == 0,
        ValueKind.TimeMap => ((ImmutableSortedDictionary<string, DateTimeOffset>)_ref!).Count == 0,
        _ => false,
    };

    public bool IsNumber => Kind is ValueKind.Long or ValueKind.Double;

    public static Value FromString(string? value) => value is null ? Null : new(ValueKind.String, 0, value);

    public static Value FromLong(long value) => new(ValueKind.Long, value, null);

    /// <summary>NaN and infinities are not values a profile can hold; they become null.</summary>
    public static Value FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            return Null;
        }

        // Negative zero would render and sort apart from zero although it is the same number.
        return new(ValueKind.Double, BitConverter.DoubleToInt64Bits(value == 0 ? 0d : value), null);
    }

    public static Value FromBool(bool value) => value ? True : False;

    public static Value FromDate(DateTimeOffset value) => new(ValueKind.Date, value.UtcTicks, null);

    /// <summary>A list keeps the given order; merge operators decide whether to sort it.</summary>
    public static Value FromList(IEnumerable<string> items) => new(ValueKind.StringList, 0, items.ToArray());

    internal static Value FromOwnedArray(string[] items) => new(ValueKind.StringList, 0, items);

    public static Value FromStringMap(IEnumerable<KeyValuePair<string, string>> entries) =>
        new(ValueKind.StringMap, 0, ToSorted(entries));

    public static Value FromIntMap(IEnumerable<KeyValuePair<string, long>> entries) =>
        new(ValueKind.IntMap, 0, ToSorted(entries));

    public static Value FromTimeMap(IEnumerable<KeyValuePair<string, DateTimeOffset>> entries) =>
        new(ValueKind.TimeMap, 0, ToSorted(entries.Select(e => KeyValuePair.Create(e.Key, e.Value.ToUniversalTime()))));

    private static ImmutableSortedDictionary<string, T> ToSorted<T>(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            builder[key] = value;
        }

        return builder.ToImmutable();
    }

    public string AsString() => Kind == ValueKind.String ? (string)_ref! : throw WrongKind(ValueKind.String);

    public long AsLong() => Kind == ValueKind.Long ? _bits : throw WrongKind(ValueKind.Long);

    public double AsDouble() => Kind switch
    {
        ValueKind.Double => BitConverter.Int64BitsToDouble(_bits),
        ValueKind.Long => _bits,
        _ => throw WrongKind(ValueKind.Double),
    };

    public bool AsBool() => Kind == ValueKind.Bool ? _bits != 0 : throw WrongKind(ValueKind.Bool);

    public DateTimeOffset AsDate() =>
        Kind == ValueKind.Date ? new DateTimeOffset(_bits, TimeSpan.Zero) : throw WrongKind(ValueKind.Date);

    public IReadOnlyList<string> AsList() =>
        Kind == ValueKind.StringList ? (string[])_ref! : throw WrongKind(ValueKind.StringList);

    public IReadOnlyDictionary<string, string> AsStringMap() =>
        Kind == ValueKind.StringMap ? (ImmutableSortedDictionary<string, string>)_ref! : throw WrongKind(ValueKind.StringMap);

    public IReadOnlyDictionary<string, long> AsIntMap() =>
        Kind == ValueKind.IntMap ? (ImmutableSortedDictionary<string, long>)_ref! : throw WrongKind(ValueKind.IntMap);

    public IReadOnlyDictionary<string, DateTimeOffset> AsTimeMap() =>
        Kind == ValueKind.TimeMap ? (ImmutableSortedDictionary<string, DateTimeOffset>)_ref! : throw WrongKind(ValueKind.TimeMap);

    internal string[] ListArray => (string[])_ref!;

    internal long RawBits => _bits;

    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"Value is {Kind}, not {wanted}.");
}
