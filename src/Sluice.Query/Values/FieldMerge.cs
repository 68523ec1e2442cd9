using System.Collections.Immutable;

namespace Sluice.Query.Values;

/// <summary>
/// Merge operators over <see cref="FieldValue"/>. Every operator is commutative and associative, so a profile
/// built from a set of events is the same whatever order the events arrive in and however profiles are merged:
/// <list type="bullet">
/// <item>LATEST / OLDEST pick by event time; equal times go to the greater value under <see cref="Value.CompareTo"/>.</item>
/// <item>SET is an ordinally sorted, de-duplicated union, capped to the <see cref="MaxSetItems"/> smallest items.</item>
/// <item>COUNT and SUM add (SUM exactly in decimal while the total has at most 15 significant digits);
/// MIN and MAX use the total value order. Their event time is the latest contributing event.</item>
/// <item>Maps of the same kind merge key by key with the same rule, each key keeping its own event time.</item>
/// </list>
/// </summary>
public static class FieldMerge
{
    public const int MaxSetItems = 1000;

    public static FieldValue Merge(MergeOp op, FieldValue? current, FieldValue incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        incoming = Normalize(op, incoming);
        if (current is null)
        {
            return incoming;
        }

        current = Normalize(op, current);
        if (current.Value.Kind == incoming.Value.Kind && FieldValue.IsMap(incoming.Value.Kind))
        {
            return MapMerge.Merge(op, current, incoming);
        }

        return MergeScalar(op, current, incoming);
    }

    /// <summary>
    /// Merges two whole profiles field by field. Because every operator is associative, merging profile A into B
    /// gives the same fields as if all their events had landed on one profile.
    /// </summary>
    public static IReadOnlyDictionary<string, FieldValue> MergeProfiles(
        IReadOnlyDictionary<string, FieldValue> first,
        IReadOnlyDictionary<string, FieldValue> second,
        Func<string, MergeOp> opForField)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(opForField);
        var merged = new SortedDictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (name, value) in first)
        {
            merged[name] = value;
        }

        foreach (var (name, value) in second)
        {
            merged[name] = Merge(opForField(name), merged.GetValueOrDefault(name), value);
        }

        return merged;
    }

    /// <summary>Merges two profiles with a fixed table of operators; fields not in the table use <paramref name="fallback"/>.</summary>
    public static IReadOnlyDictionary<string, FieldValue> MergeProfiles(
        IReadOnlyDictionary<string, FieldValue> first,
        IReadOnlyDictionary<string, FieldValue> second,
        IReadOnlyDictionary<string, MergeOp> ops,
        MergeOp fallback = MergeOp.Latest) =>
        MergeProfiles(first, second, name => ops.TryGetValue(name, out var op) ? op : fallback);

    internal static FieldValue MergeScalar(MergeOp op, FieldValue a, FieldValue b)
    {
        var time = Math.Max(a.EventTime, b.EventTime);
        return op switch
        {
            MergeOp.Latest => Order.LatestWins(a, b),
            MergeOp.Oldest => Order.OldestWins(a, b),
            MergeOp.Set => new FieldValue(SetUnion(a.Value, b.Value), time, null),
            MergeOp.Count => new FieldValue(Numbers.AddCounts(a.Value, b.Value), time, null),
            MergeOp.Sum => new FieldValue(Numbers.Add(a.Value, b.Value), time, null),
            MergeOp.Min => new FieldValue(a.Value <= b.Value ? a.Value : b.Value, time, null),
            MergeOp.Max => new FieldValue(a.Value >= b.Value ? a.Value : b.Value, time, null),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown merge operator."),
        };
    }

    /// <summary>Brings a value into the operator's canonical form, so that a single event equals a merge of one.</summary>
    internal static FieldValue Normalize(MergeOp op, FieldValue value)
    {
        if (FieldValue.IsMap(value.Value.Kind))
        {
            return value;
        }

        return op switch
        {
            MergeOp.Set when !IsCanonicalSet(value.Value) =>
                new FieldValue(SetUnion(value.Value, Value.Null), value.EventTime, null),
            MergeOp.Count when value.Value.Kind != ValueKind.Long =>
                new FieldValue(Value.FromLong(value.Value.IsEmpty ? 0 : 1), value.EventTime, null),
            MergeOp.Sum when !value.Value.IsNumber =>
                new FieldValue(Numbers.ToNumber(value.Value), value.EventTime, null),
            _ => value,
        };
    }

    private static bool IsCanonicalSet(Value value)
    {
        if (value.Kind != ValueKind.StringList)
        {
            return false;
        }

        var items = value.ListArray;
        if (items.Length > MaxSetItems)
        {
            return false;
        }

        for (var i = 1; i < items.Length; i++)
        {
            if (string.CompareOrdinal(items[i - 1], items[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sort, de-duplicate, cap: a list and an array rather than a tree, since it runs for every event that writes a set.</summary>
    private static Value SetUnion(Value a, Value b)
    {
        var items = new List<string>(ItemCount(a) + ItemCount(b));
        AddItems(items, a);
        AddItems(items, b);
        items.Sort(StringComparer.Ordinal);
        var distinct = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (distinct == 0 || !string.Equals(items[distinct - 1], items[i], StringComparison.Ordinal))
            {
                items[distinct++] = items[i];
            }
        }

        var result = new string[Math.Min(distinct, MaxSetItems)];
        items.CopyTo(0, result, 0, result.Length);
        return Value.FromOwnedArray(result);
    }

    private static int ItemCount(Value value) => value.Kind == ValueKind.StringList ? value.ListArray.Length : 1;

    private static void AddItems(List<string> items, Value value)
    {
        if (value.Kind == ValueKind.StringList)
        {
            foreach (var item in value.ListArray)
            {
                if (item.Length > 0)
                {
                    items.Add(item);
                }
            }
        }
        else if (!value.IsEmpty)
        {
            items.Add(value.ToString());
        }
    }

    internal static ImmutableSortedDictionary<string, long>.Builder NewTimes() =>
        ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
}
