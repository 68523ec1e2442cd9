using System.Text.Json;
using System.Text.Unicode;
using Sluice.Api;

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
        // Only a body with a \u escape can hold a string that does not decode; the others skip the per-event check.
        var escaped = body.Span.IndexOf("\\u"u8) >= 0;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
        var index = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Add(into, index, SliceValue(ref reader, body), body, escaped);
                        index++;
                        break;
                    case JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                Add(into, index, SliceValue(ref reader, body), body, escaped);
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

    /// <summary>An event, or a rejection naming its place when one of its strings does not decode.</summary>
    private static void Add(ParsedBody into, int index, (int Start, ReadOnlyMemory<byte> Slice) e, ReadOnlyMemory<byte> body, bool escaped)
    {
        var bad = escaped ? JsonStrings.FindUndecodable(e.Slice.Span) : -1;
        if (bad < 0) into.Events.Add(e.Slice);
        else into.Rejections.Add($"event {index}: {JsonStrings.Describe(body.Span, e.Start + bad)}");
    }

    private static (int Start, ReadOnlyMemory<byte> Slice) SliceValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, body[start..(int)reader.BytesConsumed]);
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
