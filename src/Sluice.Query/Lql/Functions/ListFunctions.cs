using Sluice.Query.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>qlbridge's list functions (<c>array.index</c>, <c>array.slice</c>) and its pattern filters (<c>filter</c>, <c>filtermatch</c>).</summary>
internal static class ListFunctions
{
    /// <summary><c>array.index(list, i)</c>: the item at <c>i</c>, counted from the end when negative; null out of range.</summary>
    public static Value Index(Value list, Value index)
    {
        if (list.Kind != ValueKind.StringList || ConversionFunctions.ToInt(index) is not { Kind: ValueKind.Long } i) return Value.Null;
        var items = list.ListArray;
        var at = i.AsLong() < 0 ? items.Length + i.AsLong() : i.AsLong();
        return at >= 0 && at < items.Length ? Value.FromString(items[at]) : Value.Null;
    }

    /// <summary><c>array.slice(list, start[, end])</c>: negative bounds count from the end; bounds outside the list give null.</summary>
    public static Value Slice(Value[] args)
    {
        if (args[0].Kind != ValueKind.StringList) return Value.Null;
        var items = args[0].ListArray;
        long? Bound(Value v) => ConversionFunctions.ToInt(v) is { Kind: ValueKind.Long } n ? (n.AsLong() < 0 ? items.Length + n.AsLong() : n.AsLong()) : null;
        var start = Bound(args[1]);
        var end = args.Length > 2 ? Bound(args[2]) : items.Length;
        if (start is not { } s || end is not { } e || s < 0 || e > items.Length || s > e) return Value.Null;
        return Value.FromList(items[(int)s..(int)e]);
    }

    /// <summary><c>filter(x, pattern, ...)</c>: x without the items (or map keys) that match a pattern.</summary>
    public static Value Filter(Value[] args) => Apply(args, keep: false);

    /// <summary><c>filtermatch(x, pattern, ...)</c>: only the items (or map keys) of x that match a pattern.</summary>
    public static Value FilterMatch(Value[] args) => Apply(args, keep: true);

    /// <summary>
    /// A pattern with <c>*</c> or <c>%</c> is a wildcard pattern; one without matches as a prefix (qlbridge's rule:
    /// <c>"app"</c> matches <c>apples</c>).
    /// </summary>
    private static bool Matches(string text, IEnumerable<string> patterns) => patterns.Any(p =>
        p.Contains('*', StringComparison.Ordinal) || p.Contains('%', StringComparison.Ordinal)
            ? Glob.IsMatch(text, p.Replace('%', '*'), ignoreCase: false)
            : text.StartsWith(p, StringComparison.Ordinal));

    private static Value Apply(Value[] args, bool keep)
    {
        var patterns = args[1..].Where(a => !a.IsEmpty).SelectMany(a => a.Kind == ValueKind.StringList ? a.ListArray : [a.ToString()]).ToList();
        var value = args[0];
        if (value.IsEmpty || patterns.Count == 0) return Value.Null;
        return value.Kind switch
        {
            ValueKind.StringList => Value.FromList(value.ListArray.Where(i => Matches(i, patterns) == keep)),
            ValueKind.StringMap => Value.FromStringMap(value.AsStringMap().Where(kv => Matches(kv.Key, patterns) == keep)),
            ValueKind.IntMap => Value.FromIntMap(value.AsIntMap().Where(kv => Matches(kv.Key, patterns) == keep)),
            ValueKind.TimeMap => Value.FromTimeMap(value.AsTimeMap().Where(kv => Matches(kv.Key, patterns) == keep)),
            _ => Matches(value.ToString(), patterns) == keep ? value : Value.Null,
        };
    }
}
