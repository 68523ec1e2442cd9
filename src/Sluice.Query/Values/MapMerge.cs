using System.Collections.Immutable;

namespace Sluice.Query.Values;

/// <summary>
/// Key-by-key merge of two maps of the same kind. Each key is merged as a scalar with its own event time, so
/// map merges inherit the order independence of the scalar operators.
/// </summary>
internal static class MapMerge
{
    public static FieldValue Merge(MergeOp op, FieldValue a, FieldValue b)
    {
        // SET and COUNT have no per-key meaning for strings or times; keep the latest entry per key.
        var keyOp = op switch
        {
            MergeOp.Set => MergeOp.Latest,
            MergeOp.Count or MergeOp.Sum when a.Value.Kind != ValueKind.IntMap => MergeOp.Latest,
            MergeOp.Count => MergeOp.Sum,
            _ => op,
        };

        var entries = new SortedDictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var entry in Split(a))
        {
            entries[entry.Key] = entry.Value;
        }

        foreach (var entry in Split(b))
        {
            entries[entry.Key] = entries.TryGetValue(entry.Key, out var existing)
                ? FieldMerge.MergeScalar(keyOp, existing, entry.Value)
                : entry.Value;
        }

        return Join(a.Value.Kind, entries, Math.Max(a.EventTime, b.EventTime));
    }

    private static IEnumerable<KeyValuePair<string, FieldValue>> Split(FieldValue map)
    {
        foreach (var key in FieldValue.MapKeys(map.Value))
        {
            var time = map.KeyTimes.TryGetValue(key, out var t) ? t : map.EventTime;
            var value = map.Value.Kind switch
            {
                ValueKind.StringMap => Value.FromString(map.Value.AsStringMap()[key]),
                ValueKind.IntMap => Value.FromLong(map.Value.AsIntMap()[key]),
                _ => Value.FromDate(map.Value.AsTimeMap()[key]),
            };
            yield return KeyValuePair.Create(key, new FieldValue(value, time, null));
        }
    }

    private static FieldValue Join(ValueKind kind, SortedDictionary<string, FieldValue> entries, long time)
    {
        var times = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var (key, entry) in entries)
        {
            times[key] = entry.EventTime;
        }

        var value = kind switch
        {
            ValueKind.StringMap => Value.FromStringMap(entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Value.ToString()))),
            ValueKind.IntMap => Value.FromIntMap(entries.Select(e => KeyValuePair.Create(e.Key, AsLong(e.Value.Value)))),
            _ => Value.FromTimeMap(entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Value.AsDate()))),
        };
        return new FieldValue(value, time, times.ToImmutable());
    }

    private static long AsLong(Value v) => v.Kind == ValueKind.Long ? v.AsLong() : (long)v.AsDouble();
}
