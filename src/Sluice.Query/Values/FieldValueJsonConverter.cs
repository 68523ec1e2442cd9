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
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("t", out var t))
        {
            throw new JsonException("A field value is an object with a \"t\" event time.");
        }

        var value = Value.Null;
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            value = property.Name switch
            {
                "s" => Value.FromString(v.GetString()),
                "i" => Value.FromLong(v.GetInt64()),
                "n" => Value.FromDouble(v.GetDouble()),
                "b" => Value.FromBool(v.GetBoolean()),
                "d" => Value.FromDate(ParseDate(v)),
                "l" => Value.FromOwnedArray([.. v.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]),
                "ms" => Value.FromStringMap(v.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? string.Empty))),
                "mi" => Value.FromIntMap(v.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64()))),
                "mt" => Value.FromTimeMap(v.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, ParseDate(p.Value)))),
                _ => value,
            };
        }

        var time = t.GetInt64();
        var keyTimes = FieldMerge.NewTimes();
        foreach (var key in FieldValue.MapKeys(value))
        {
            keyTimes[key] = time;
        }

        if (root.TryGetProperty("kt", out var kt))
        {
            foreach (var p in kt.EnumerateObject())
            {
                keyTimes[p.Name] = p.Value.GetInt64();
            }
        }

        return new FieldValue(value, time, keyTimes.ToImmutable());
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

        var odd = value.KeyTimes.Where(kv => kv.Value != value.EventTime).ToList();
        if (odd.Count > 0)
        {
            writer.WriteStartObject("kt");
            foreach (var (key, time) in odd)
            {
                writer.WriteNumber(key, time);
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

    private static DateTimeOffset ParseDate(JsonElement e) =>
        DateTimeOffset.Parse(e.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
