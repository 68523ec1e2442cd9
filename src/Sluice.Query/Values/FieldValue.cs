using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Query.Values;

/// <summary>
/// The stored state of one profile field: its value, the event time (Unix ms) that value is attributed to, and
/// for map values the event time of each key, so that maps merge key by key exactly like scalars do.
/// </summary>
[JsonConverter(typeof(FieldValueJsonConverter))]
public sealed class FieldValue : IEquatable<FieldValue>
{
    private static readonly ImmutableSortedDictionary<string, long> NoKeyTimes =
        ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    internal FieldValue(Value value, long eventTime, ImmutableSortedDictionary<string, long>? keyTimes)
    {
        Value = value;
        EventTime = eventTime;
        KeyTimes = IsMap(value.Kind) ? keyTimes ?? NoKeyTimes : NoKeyTimes;
    }

    public Value Value { get; }

    /// <summary>Unix milliseconds of the event the value came from (for aggregates: the latest contributing event).</summary>
    public long EventTime { get; }

    /// <summary>For map values, the event time of each key; empty otherwise.</summary>
    public IReadOnlyDictionary<string, long> KeyTimes { get; }

    internal ImmutableSortedDictionary<string, long> KeyTimesSorted => (ImmutableSortedDictionary<string, long>)KeyTimes;

    /// <summary>The state a single event writes: every map key is stamped with the event's time.</summary>
    public static FieldValue Create(Value value, long eventTimeMs)
    {
        if (!IsMap(value.Kind))
        {
            return new FieldValue(value, eventTimeMs, null);
        }

        var times = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var key in MapKeys(value))
        {
            times[key] = eventTimeMs;
        }

        return new FieldValue(value, eventTimeMs, times.ToImmutable());
    }

    /// <summary>Folds <paramref name="incoming"/> into <paramref name="current"/>; see <see cref="FieldMerge"/>.</summary>
    public static FieldValue Merge(MergeOp op, FieldValue? current, FieldValue incoming) =>
        FieldMerge.Merge(op, current, incoming);

    /// <summary>The plain value for API responses.</summary>
    public JsonNode? ToJsonNode() => Value.ToJsonNode();

    public string ToJson() => JsonSerializer.Serialize(this, FieldValueJsonConverter.Options);

    public static FieldValue FromJson(string json) =>
        JsonSerializer.Deserialize<FieldValue>(json, FieldValueJsonConverter.Options)
        ?? throw new JsonException("A field value cannot be null.");

    public bool Equals(FieldValue? other) =>
        other is not null
        && EventTime == other.EventTime
        && Value.Equals(other.Value)
        && KeyTimes.Count == other.KeyTimes.Count
        && KeyTimes.All(kv => other.KeyTimes.TryGetValue(kv.Key, out var t) && t == kv.Value);

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Value, EventTime, KeyTimes.Count);

    public override string ToString() => $"{Value} @{EventTime}";

    internal static bool IsMap(ValueKind kind) => kind is ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap;

    internal static IEnumerable<string> MapKeys(Value value) => value.Kind switch
    {
        ValueKind.StringMap => value.AsStringMap().Keys,
        ValueKind.IntMap => value.AsIntMap().Keys,
        ValueKind.TimeMap => value.AsTimeMap().Keys,
        _ => [],
    };
}
