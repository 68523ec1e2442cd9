namespace Sluice.Query.Values;

/// <summary>
/// The compact binary form of a <see cref="FieldValue"/>, for profile storage where every applied event reads and
/// writes the whole profile: the event time, the kind, the payload (7-bit encoded integers, length-prefixed UTF-8
/// strings, dates as UTC ticks), then for maps the keys whose event time differs from the value's.
/// <see cref="FieldValueJsonConverter"/> remains the readable form.
/// </summary>
public static class FieldValueBinary
{
    public static void Write(BinaryWriter w, FieldValue field)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(field);
        w.Write7BitEncodedInt64(field.EventTime);
        var v = field.Value;
        w.Write((byte)v.Kind);
        switch (v.Kind)
        {
            case ValueKind.String: w.Write(v.AsString()); break;
            case ValueKind.Long: w.Write7BitEncodedInt64(v.AsLong()); break;
            case ValueKind.Double: w.Write(v.AsDouble()); break;
            case ValueKind.Bool: w.Write(v.AsBool()); break;
            case ValueKind.Date: w.Write(v.AsDate().UtcTicks); break;
            case ValueKind.StringList:
                var items = v.ListArray;
                w.Write7BitEncodedInt(items.Length);
                foreach (var item in items) w.Write(item);
                break;
            case ValueKind.StringMap:
                WriteMap(w, v.AsStringMap(), (x, s) => x.Write(s));
                break;
            case ValueKind.IntMap:
                WriteMap(w, v.AsIntMap(), (x, n) => x.Write7BitEncodedInt64(n));
                break;
            case ValueKind.TimeMap:
                WriteMap(w, v.AsTimeMap(), (x, t) => x.Write(t.UtcTicks));
                break;
            default:
                break;
        }
        if (FieldValue.IsMap(v.Kind)) WriteKeyTimes(w, field);
    }

    /// <summary>
    /// The map keys whose time differs from the value's. Apart from <see cref="Write"/> because its lambda captures the
    /// field: a closure allocated on every call, for every field of every profile written, maps or not.
    /// </summary>
    private static void WriteKeyTimes(BinaryWriter w, FieldValue field)
    {
        var explicitTimes = field.KeyTimes.Where(kv => kv.Value != field.EventTime).ToList();
        w.Write7BitEncodedInt(explicitTimes.Count);
        foreach (var (key, time) in explicitTimes)
        {
            w.Write(key);
            w.Write7BitEncodedInt64(time);
        }
    }

    public static FieldValue Read(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var time = r.Read7BitEncodedInt64();
        var kind = (ValueKind)r.ReadByte();
        var value = kind switch
        {
            ValueKind.Null => Value.Null,
            ValueKind.String => Value.FromString(r.ReadString()),
            ValueKind.Long => Value.FromLong(r.Read7BitEncodedInt64()),
            ValueKind.Double => Value.FromDouble(r.ReadDouble()),
            ValueKind.Bool => Value.FromBool(r.ReadBoolean()),
            ValueKind.Date => Value.FromDate(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero)),
            ValueKind.StringList => Value.FromOwnedArray(ReadList(r)),
            ValueKind.StringMap => Value.FromStringMap(ReadMap(r, x => x.ReadString())),
            ValueKind.IntMap => Value.FromIntMap(ReadMap(r, x => x.Read7BitEncodedInt64())),
            ValueKind.TimeMap => Value.FromTimeMap(ReadMap(r, x => new DateTimeOffset(x.ReadInt64(), TimeSpan.Zero))),
            _ => throw new InvalidDataException($"unknown field value kind {(int)kind}"),
        };
        if (!FieldValue.IsMap(kind)) return new FieldValue(value, time, null);

        var keyTimes = FieldMerge.NewTimes();
        foreach (var key in FieldValue.MapKeys(value)) keyTimes[key] = time;
        var explicitTimes = r.Read7BitEncodedInt();
        for (var i = 0; i < explicitTimes; i++) keyTimes[r.ReadString()] = r.Read7BitEncodedInt64();
        return new FieldValue(value, time, keyTimes.ToImmutable());
    }

    private static string[] ReadList(BinaryReader r)
    {
        var items = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < items.Length; i++) items[i] = r.ReadString();
        return items;
    }

    private static void WriteMap<T>(BinaryWriter w, IReadOnlyDictionary<string, T> map, Action<BinaryWriter, T> write)
    {
        w.Write7BitEncodedInt(map.Count);
        foreach (var (key, item) in map)
        {
            w.Write(key);
            write(w, item);
        }
    }

    private static List<KeyValuePair<string, T>> ReadMap<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var count = r.Read7BitEncodedInt();
        var entries = new List<KeyValuePair<string, T>>(count);
        for (var i = 0; i < count; i++)
        {
            var key = r.ReadString();
            entries.Add(KeyValuePair.Create(key, read(r)));
        }
        return entries;
    }
}
