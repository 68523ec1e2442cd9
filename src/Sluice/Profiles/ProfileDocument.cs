using Sluice.Query.Values;

namespace Sluice.Profiles;

/// <summary>
/// The document of a profile: each field's merge state (value, event times, operator), the identity values that
/// point at it, which streams carried each identity, event counts per stream, and the ids of profiles merged into it.
/// Every collection is ordered so that the same events give the same document whatever order they arrived in, and
/// array-backed (sorted lists, not trees): a profile has a few dozen entries at most, and the processor decodes and
/// encodes one per event, so the number of objects per profile is what its speed and memory depend on.
/// </summary>
internal sealed class ProfileDocument
{
    public SortedList<string, StoredField> Fields { get; init; } = new(StringComparer.Ordinal);

    public SortedList<string, OrderedSet<string>> Identities { get; init; } = new(StringComparer.Ordinal);

    /// <summary>For <c>explain</c>: <c>name:value</c> of each identity → the streams whose events carried it.</summary>
    public SortedList<string, OrderedSet<string>> Sources { get; init; } = new(StringComparer.Ordinal);

    public SortedList<string, long> EventsPerStream { get; init; } = new(StringComparer.Ordinal);

    public OrderedSet<long> Merged { get; init; } = new(Comparer<long>.Default);

    /// <summary>The ids of the audiences the profile is a member of, as processing last evaluated them.</summary>
    public OrderedSet<string> Audiences { get; init; } = new(StringComparer.Ordinal);

    public bool AddIdentity(string name, string value)
    {
        if (!Identities.TryGetValue(name, out var set))
        {
            set = new OrderedSet<string>(StringComparer.Ordinal);
            Identities[name] = set;
        }
        return set.Add(value);
    }

    public void AddSource(string name, string value, string stream)
    {
        // Found without building its key: an event on a known profile names sources the profile has.
        var at = IndexOfSource(name, value);
        if (at >= 0)
        {
            Sources.GetValueAtIndex(at).Add(stream);
            return;
        }
        var streams = new OrderedSet<string>(StringComparer.Ordinal);
        streams.Add(stream);
        Sources.Add(name + ":" + value, streams);
    }

    /// <summary>Where the key <c>name:value</c> is in <see cref="Sources"/>, or a negative number.</summary>
    private int IndexOfSource(string name, string value)
    {
        int lo = 0, hi = Sources.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var order = CompareSourceKey(Sources.GetKeyAtIndex(mid), name, value);
            if (order == 0) return mid;
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The ordinal order of <paramref name="key"/> against <c>name + ":" + value</c>, without concatenating.</summary>
    internal static int CompareSourceKey(string key, string name, string value)
    {
        var k = key.AsSpan();
        var n = Math.Min(k.Length, name.Length);
        var order = k[..n].SequenceCompareTo(name.AsSpan(0, n));
        if (order != 0) return order;
        // The key ends within the name: it is a proper prefix of the composite, which sorts after it.
        if (k.Length <= name.Length) return -1;
        order = k[name.Length].CompareTo(':');
        if (order != 0) return order;
        return k[(name.Length + 1)..].SequenceCompareTo(value.AsSpan());
    }

    public void CountEvent(string stream)
    {
        var at = EventsPerStream.IndexOfKey(stream);
        if (at >= 0) EventsPerStream.SetValueAtIndex(at, EventsPerStream.GetValueAtIndex(at) + 1);
        else EventsPerStream.Add(stream, 1);
    }

    public void Apply(string field, MergeOp op, FieldValue incoming)
    {
        // One binary search instead of two (a lookup, then a set): this runs for every field of every event.
        var at = Fields.IndexOfKey(field);
        if (at >= 0) Fields.SetValueAtIndex(at, new StoredField(op, FieldMerge.Merge(op, Fields.GetValueAtIndex(at).Value, incoming)));
        else Fields.Add(field, new StoredField(op, FieldMerge.Merge(op, null, incoming)));
    }

    /// <summary>Folds another profile into this one, field by field with each field's operator.</summary>
    public void Absorb(ProfileDocument other)
    {
        foreach (var (name, field) in other.Fields) Apply(name, field.Op, field.Value);
        foreach (var (name, values) in other.Identities)
        {
            foreach (var v in values) AddIdentity(name, v);
        }
        foreach (var (key, streams) in other.Sources)
        {
            if (!Sources.TryGetValue(key, out var mine)) Sources[key] = mine = new OrderedSet<string>(StringComparer.Ordinal);
            mine.UnionWith(streams);
        }
        foreach (var (stream, n) in other.EventsPerStream) EventsPerStream[stream] = EventsPerStream.GetValueOrDefault(stream) + n;
        Merged.UnionWith(other.Merged);
    }

    public byte[] Serialize() => ProfileDocumentBinary.Serialize(this);

    public void WriteTo(Stream stream) => ProfileDocumentBinary.Write(this, stream);

    public static ProfileDocument Deserialize(byte[] stored) => ProfileDocumentBinary.Deserialize(stored);
}

/// <summary>A field's merge state and the operator that maintains it (a struct: it lives inside the field list).</summary>
internal readonly record struct StoredField(MergeOp Op, FieldValue Value);
