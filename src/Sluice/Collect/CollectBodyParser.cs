using System.Text.Json;
using System.Text.Unicode;

namespace Sluice.Collect;

/// <summary>
/// Splits a body into events without building a DOM: one JSON object, an array of objects, or newline-delimited
/// objects. Each event stays a slice of the request bytes, which is what the log stores.
/// </summary>
internal static class CollectBodyParser
{
    public static CollectError? Parse(ReadOnlyMemory<byte> body, int maxEvents, ParsedBody into)
    {
        // The reader checks structure but not every string's encoding; the log must only hold valid UTF-8.
        if (Utf8.IsValid(body.Span) is false)
        {
            var bad = FirstInvalidByte(body.Span);
            return new CollectError(400, $"body is not valid UTF-8 (line {LineOf(body.Span, bad)}, byte {bad + 1})");
        }
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
        var index = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        into.Events.Add(SliceValue(ref reader, body));
                        index++;
                        break;
                    case JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                into.Events.Add(SliceValue(ref reader, body));
                            }
                            else
                            {
                                into.Rejections.Add($"event {index} is {Describe(reader.TokenType)}, not a JSON object");
                                if (reader.TokenType == JsonTokenType.StartArray) reader.Skip();
                            }
                            index++;
                            if (into.Events.Count + into.Rejections.Count > maxEvents) return TooMany(maxEvents);
                        }
                        break;
                    default:
                        return new CollectError(400,
                            $"body must be a JSON object, an array of objects or newline-delimited objects; found {Describe(reader.TokenType)} " +
                            $"at line {LineOf(body.Span, (int)reader.TokenStartIndex)}");
                }
                if (into.Events.Count + into.Rejections.Count > maxEvents) return TooMany(maxEvents);
            }
        }
        catch (JsonException e)
        {
            return new CollectError(400, $"malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
        return into.Events.Count + into.Rejections.Count == 0 ? new CollectError(400, "request body holds no events") : null;
    }

    private static ReadOnlyMemory<byte> SliceValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return body[start..(int)reader.BytesConsumed];
    }

    private static CollectError TooMany(int max) =>
        new(413, $"request holds more than {max} events; split it or use /collect/bulk");

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        _ => t.ToString(),
    };

    private static int FirstInvalidByte(ReadOnlySpan<byte> span)
    {
        Utf8.ToUtf16(span, new char[span.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    private static int LineOf(ReadOnlySpan<byte> body, int offset) => body[..offset].Count((byte)'\n') + 1;

    /// <summary>System.Text.Json adds advice about reader options and its own position; the first sentence says what is wrong.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
