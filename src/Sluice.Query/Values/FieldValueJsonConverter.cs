using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Query.Values;

/// <summary>
/// Stores a <see cref="FieldValue"/> as a small object whose value property name carries the kind, so that a
/// double 1.0 comes back as a double and a date as a date: <c>{"t":1700000000000,"s":"Ann"}</c>. Map keys whose
/// event time differs from <c>t</c> are listed under <c>kt</c>.
/// </summary>
public sealed class FieldValueJsonConverter : JsonConverter<FieldValue>
{
    internal static readonly JsonSerializerOptions Options = new() { Converters = { new FieldValueJsonConverter() } };

    public override FieldValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Streamed rather than through a JsonDocument: profiles are read back on the processing hot path.
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A field value is an object with a \"t\" event time.");
        }

        long? time = null;
        var value = Value.Null;
        List<KeyValuePair<string, long>>? explicitTimes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "t": time = reader.GetInt64(); break;
                case "s": value = Value.FromString(reader.GetString()); break;
                case "i": value = Value.FromLong(reader.GetInt64()); break;
                case "n": value = Value.FromDouble(reader.GetDouble()); break;
                case "b": value = Value.FromBool(reader.GetBoolean()); break;
                case "d": value = Value.FromDate(ParseDate(reader.GetString())); break;
                case "l": value = Value.FromOwnedArray([.. ReadArray(ref reader)]); break;
                case "ms": value = Value.FromStringMap(ReadObject(ref reader, (ref Utf8JsonReader r) => r.GetString() ?? string.Empty)); break;
                case "mi": value = Value.FromIntMap(ReadObject(ref reader, (ref Utf8JsonReader r) => r.GetInt64())); break;
                case "mt": value = Value.FromTimeMap(ReadObject(ref reader, (ref Utf8JsonReader r) => ParseDate(r.GetString()))); break;
                case "kt": explicitTimes = ReadObject(ref reader, (ref Utf8JsonReader r) => r.GetInt64()); break;
                default: reader.Skip(); break;
            }
        }

        if (time is not { } t)
        {
            throw new JsonException("A field value is an object with a \"t\" event time.");
        }

        if (!FieldValue.IsMap(value.Kind))
        {
            return new FieldValue(value, t, null);
        }

        var keyTimes = FieldMerge.NewTimes();
        foreach (var key in FieldValue.MapKeys(value))
        {
            keyTimes[key] = t;
        }

        foreach (var (key, keyTime) in explicitTimes ?? [])
        {
            keyTimes[key] = keyTime;
        }

        return new FieldValue(value, t, keyTimes.ToImmutable());
    }

    private delegate T ReadItem<T>(ref Utf8JsonReader reader);

    private static List<string> ReadArray(ref Utf8JsonReader reader)
    {
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.GetString() ?? string.Empty);
        }

        return items;
    }

    private static List<KeyValuePair<string, T>> ReadObject<T>(ref Utf8JsonReader reader, ReadItem<T> read)
    {
        var entries = new List<KeyValuePair<string, T>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            entries.Add(KeyValuePair.Create(key, read(ref reader)));
        }

        return entries;
    }

    public override void Write(Utf8JsonWriter writer, FieldValue value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("t", value.EventTime);
        var v = value.Value;
        switch (v.Kind)
        {
            case ValueKind.String:
                writer.WriteString("s", v.AsString());
                break;
            case ValueKind.Long:
                writer.WriteNumber("i", v.AsLong());
                break;
            case ValueKind.Double:
                writer.WriteNumber("n", v.AsDouble());
                break;
            case ValueKind.Bool:
                writer.WriteBoolean("b", v.AsBool());
                break;
            case ValueKind.Date:
                writer.WriteString("d", v.ToString());
                break;
            case ValueKind.StringList:
                writer.WriteStartArray("l");
                foreach (var item in v.ListArray)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case ValueKind.StringMap:
                WriteMap(writer, "ms", v.AsStringMap(), (w, x) => w.WriteStringValue(x));
                break;
            case ValueKind.IntMap:
                WriteMap(writer, "mi", v.AsIntMap(), (w, x) => w.WriteNumberValue(x));
                break;
            case ValueKind.TimeMap:
                WriteMap(writer, "mt", v.AsTimeMap(), (w, x) => w.WriteStringValue(Value.FormatDate(x)));
                break;
            default:
                break;
        }

        if (value.KeyTimes.Count > 0 && value.KeyTimes.Any(kv => kv.Value != value.EventTime))
        {
            writer.WriteStartObject("kt");
            foreach (var (key, time) in value.KeyTimes)
            {
                if (time != value.EventTime)
                {
                    writer.WriteNumber(key, time);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMap<T>(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartObject(name);
        foreach (var (key, item) in map)
        {
            writer.WritePropertyName(key);
            write(writer, item);
        }

        writer.WriteEndObject();
    }

    private static DateTimeOffset ParseDate(string? text) =>
        DateTimeOffset.Parse(text ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
