namespace Sluice.Query.Values;

/// <summary>
/// A total order over all values. Merge operators pick winners with it, so it has to be a true total order
/// (no two distinct values compare equal) for merges to be independent of arrival order.
/// </summary>
public readonly partial struct Value : IEquatable<Value>, IComparable<Value>
{
    public int CompareTo(Value other)
    {
        var byClass = ClassRank(Kind).CompareTo(ClassRank(other.Kind));
        if (byClass != 0)
        {
            return byClass;
        }

        switch (Kind)
        {
            case ValueKind.Null:
                return 0;
            case ValueKind.Bool:
            case ValueKind.Date:
                return _bits.CompareTo(other._bits);
            case ValueKind.Long:
            case ValueKind.Double:
                var numeric = CompareNumbers(this, other);
                // 1 and 1.0 are the same number but different values: keep them apart, long first.
                return numeric != 0 ? numeric : Kind.CompareTo(other.Kind);
            case ValueKind.String:
                return string.CompareOrdinal((string)_ref!, (string)other._ref!);
            default:
                return CompareComposite(this, other);
        }
    }

    public bool Equals(Value other) => Kind == other.Kind && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        ValueKind.String => HashCode.Combine(Kind, string.GetHashCode((string)_ref!, StringComparison.Ordinal)),
        ValueKind.StringList or ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap =>
            HashCode.Combine(Kind, string.GetHashCode(CanonicalText(), StringComparison.Ordinal)),
        _ => HashCode.Combine(Kind, _bits),
    };

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    public static bool operator <(Value left, Value right) => left.CompareTo(right) < 0;

    public static bool operator <=(Value left, Value right) => left.CompareTo(right) <= 0;

    public static bool operator >(Value left, Value right) => left.CompareTo(right) > 0;

    public static bool operator >=(Value left, Value right) => left.CompareTo(right) >= 0;

    private static int ClassRank(ValueKind kind) => kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Bool => 1,
        ValueKind.Long or ValueKind.Double => 2,
        ValueKind.Date => 3,
        ValueKind.String => 4,
        _ => 5 + (int)kind,
    };

    /// <summary>Exact comparison of longs and doubles: going through double alone would equate distinct large longs.</summary>
    internal static int CompareNumbers(Value a, Value b)
    {
        if (a.Kind == ValueKind.Long && b.Kind == ValueKind.Long)
        {
            return a._bits.CompareTo(b._bits);
        }

        if (a.Kind == ValueKind.Double && b.Kind == ValueKind.Double)
        {
            return a.AsDouble().CompareTo(b.AsDouble());
        }

        return a.Kind == ValueKind.Long ? CompareLongDouble(a._bits, b.AsDouble()) : -CompareLongDouble(b._bits, a.AsDouble());
    }

    private static int CompareLongDouble(long l, double d)
    {
        var approx = ((double)l).CompareTo(d);
        if (approx != 0)
        {
            return approx;
        }

        // Equal as doubles, so d is integral and near l; 2^63 itself is beyond every long.
        if (d >= 9.2233720368547758E18)
        {
            return -1;
        }

        return l.CompareTo((long)d);
    }

    private static int CompareComposite(Value a, Value b)
    {
        if (a.Kind == ValueKind.StringList)
        {
            var x = a.ListArray;
            var y = b.ListArray;
            var n = Math.Min(x.Length, y.Length);
            for (var i = 0; i < n; i++)
            {
                var c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        return string.CompareOrdinal(a.CanonicalText(), b.CanonicalText());
    }
}
