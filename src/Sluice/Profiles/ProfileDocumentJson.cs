using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Profiles;

/// <summary>
/// Hand-written (de)serialisation of <see cref="ProfileDocument"/>: every event the processor applies reads and
/// writes one, and the reflection-based serializer spent more time on it than SQLite did.
/// Shape: <c>{"fields":{"name":{"op":"latest","v":{...}}},"ids":{"email":["a@b"]},"sources":{"email:a@b":["s"]},
/// "streams":{"s":1},"merged":[12]}</c>.
/// </summary>
internal static class ProfileDocumentJson
{
    private static readonly FieldValueJsonConverter Values = new();
    private static readonly JsonSerializerOptions NoOptions = new();

    public static byte[] Serialize(ProfileDocument doc)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("fields");
            foreach (var (name, field) in doc.Fields)
            {
                w.WriteStartObject(name);
                w.WriteString("op", OpName(field.Op));
                w.WritePropertyName("v");
                Values.Write(w, field.Value, NoOptions);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            WriteSets(w, "ids", doc.Identities);
            WriteSets(w, "sources", doc.Sources);
            w.WriteStartObject("streams");
            foreach (var (stream, n) in doc.EventsPerStream) w.WriteNumber(stream, n);
            w.WriteEndObject();
            w.WriteStartArray("merged");
            foreach (var id in doc.Merged) w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static ProfileDocument Deserialize(ReadOnlySpan<byte> json)
    {
        var doc = new ProfileDocument();
        var r = new Utf8JsonReader(json);
        Expect(ref r, JsonTokenType.StartObject);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var section = r.GetString();
            r.Read();
            switch (section)
            {
                case "fields":
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = r.GetString()!;
                        r.Read();
                        var op = MergeOp.Latest;
                        FieldValue? value = null;
                        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                        {
                            var key = r.GetString();
                            r.Read();
                            if (key == "op") op = ParseOp(r.GetString());
                            else if (key == "v") value = Values.Read(ref r, typeof(FieldValue), NoOptions);
                            else r.Skip();
                        }
                        if (value is not null) doc.Fields[name] = new StoredField(op, value);
                    }
                    break;
                case "ids":
                    ReadSets(ref r, doc.Identities);
                    break;
                case "sources":
                    ReadSets(ref r, doc.Sources);
                    break;
                case "streams":
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var stream = r.GetString()!;
                        r.Read();
                        doc.EventsPerStream[stream] = r.GetInt64();
                    }
                    break;
                case "merged":
                    while (r.Read() && r.TokenType == JsonTokenType.Number) doc.Merged.Add(r.GetInt64());
                    break;
                default:
                    r.Skip();
                    break;
            }
        }
        return doc;
    }

    private static void WriteSets(Utf8JsonWriter w, string name, SortedDictionary<string, SortedSet<string>> sets)
    {
        w.WriteStartObject(name);
        foreach (var (key, values) in sets)
        {
            w.WriteStartArray(key);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void ReadSets(ref Utf8JsonReader r, SortedDictionary<string, SortedSet<string>> into)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = r.GetString()!;
            r.Read();
            var set = new SortedSet<string>(StringComparer.Ordinal);
            while (r.Read() && r.TokenType == JsonTokenType.String) set.Add(r.GetString()!);
            into[key] = set;
        }
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (!r.Read() || r.TokenType != type) throw new JsonException($"profile document: expected {type}");
    }

    private static string OpName(MergeOp op) => op switch
    {
        MergeOp.Latest => "latest",
        MergeOp.Oldest => "oldest",
        MergeOp.Set => "set",
        MergeOp.Count => "count",
        MergeOp.Sum => "sum",
        MergeOp.Min => "min",
        MergeOp.Max => "max",
        _ => throw new JsonException($"unknown merge operator {op}"),
    };

    private static MergeOp ParseOp(string? name) => name switch
    {
        "latest" => MergeOp.Latest,
        "oldest" => MergeOp.Oldest,
        "set" => MergeOp.Set,
        "count" => MergeOp.Count,
        "sum" => MergeOp.Sum,
        "min" => MergeOp.Min,
        "max" => MergeOp.Max,
        _ => throw new JsonException($"unknown merge operator \"{name}\""),
    };
}
