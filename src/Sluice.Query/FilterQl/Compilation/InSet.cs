using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// A literal IN list. Text compares to text exactly, so a hash set answers for text and lists of text; numbers,
/// booleans and dates go item by item through the loose comparison (<c>zip IN ("5")</c> holds for the number 5).
/// </summary>
internal sealed class InSet
{
    private readonly string[] _items;
    private readonly HashSet<string> _set;

    public InSet(Value list)
    {
        _items = [.. list.AsList()];
        _set = new HashSet<string>(_items, StringComparer.Ordinal);
    }

    public Tri Test(Value v) => v.Kind switch
    {
        ValueKind.Null => Tri.False,
        ValueKind.String => TriExtensions.From(Contains(v.AsString())),
        ValueKind.StringList => TriExtensions.From(ContainsAny(v.ListArray)),
        ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => TriExtensions.From(HasAnyKey(v)),
        _ => Items(v, _items),
    };

    /// <summary>Apart from <see cref="Test"/>, whose every call would otherwise allocate this lambda's closure.</summary>
    private bool HasAnyKey(Value map) => AnyKeyOf(map, _items);

    /// <summary>A short list is faster to scan than to hash into, and most IN lists are short.</summary>
    private bool Contains(string s)
    {
        if (_items.Length > 8)
        {
            return _set.Contains(s);
        }

        foreach (var item in _items)
        {
            if (string.Equals(item, s, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool ContainsAny(string[] items)
    {
        foreach (var item in items)
        {
            if (Contains(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>IN against a value computed per evaluation (a field or function on the right).</summary>
    public static Tri InValue(Value v, Value right)
    {
        if (v.IsNull || right.IsNull)
        {
            return Tri.False;
        }

        if (right.Kind == ValueKind.StringList)
        {
            var items = right.AsList();
            return v.Kind switch
            {
                ValueKind.StringList => TriExtensions.From(v.AsList().Any(items.Contains)),
                ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => TriExtensions.From(AnyKeyOf(v, items)),
                _ => Items(v, items),
            };
        }

        if (FieldAccess.IsMap(right))
        {
            return v.Kind switch
            {
                ValueKind.StringList => TriExtensions.From(AnyKeyOf(right, v.AsList())),
                ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap => Tri.False,
                _ => TriExtensions.From(FieldAccess.HasKey(right, Comparisons.Text(v))),
            };
        }

        if (FieldAccess.IsMap(v))
        {
            return TriExtensions.From(FieldAccess.HasKey(v, Comparisons.Text(right)));
        }

        return Comparisons.Compare(v, CompareOp.Equal, right) == Tri.True ? Tri.True : Tri.False;
    }

    // Lambdas that capture a parameter allocate their closure on every call of the method that declares them, taken
    // or not: kept out of the per-evaluation methods.
    private static bool AnyKeyOf(Value map, IReadOnlyList<string> keys) => keys.Any(k => FieldAccess.HasKey(map, k));

    private static Tri Items(Value v, IReadOnlyList<string> items)
    {
        if (v.Kind == ValueKind.String)
        {
            return TriExtensions.From(items.Contains(v.AsString()));
        }

        foreach (var item in items)
        {
            if (Comparisons.Scalar(v, CompareOp.Equal, Value.FromString(item)) == Tri.True)
            {
                return Tri.True;
            }
        }

        return Tri.False;
    }
}
