using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using Sluice.Api;

namespace Sluice.Collect.Bulk;

/// <summary>
/// Reads newline-delimited JSON from a stream as events, one object per line, holding at most one line (up to a
/// limit) in memory. Blank lines are skipped. Shared by the bulk upload route and file imports.
/// </summary>
internal static class NdjsonEventReader
{
    public const int DefaultMaxLineBytes = 1024 * 1024;

    /// <summary>
    /// The rows in order. A line that is not one JSON object, is not UTF-8 or is longer than
    /// <paramref name="maxLineBytes"/> is yielded as refused and reading goes on with the next line.
    /// </summary>
    public static async IAsyncEnumerable<BulkRow> ReadAsync(
        Stream input, RowAppend? append, [EnumeratorCancellation] CancellationToken ct, int maxLineBytes = DefaultMaxLineBytes)
    {
        var pipe = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var rows = new List<BulkRow>();
        long line = 0;
        // Inside a line already refused as too long: its bytes are dropped until its end.
        var skipping = false;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(ct);
                var buffer = result.Buffer;
                rows.Clear();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var text = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    line++;
                    if (skipping)
                    {
                        skipping = false;
                        continue;
                    }
                    if (Parse(text, line, append) is { } row) rows.Add(row);
                }
                if (result.IsCompleted)
                {
                    if (!skipping && buffer.Length > 0 && Parse(buffer, line + 1, append) is { } last) rows.Add(last);
                    pipe.AdvanceTo(buffer.End);
                    foreach (var row in rows) yield return row;
                    yield break;
                }
                if (!skipping && buffer.Length > maxLineBytes)
                {
                    rows.Add(BulkRow.Refused(line + 1, $"the line is longer than {maxLineBytes} bytes"));
                    skipping = true;
                }
                if (skipping) buffer = buffer.Slice(buffer.End);
                pipe.AdvanceTo(buffer.Start, buffer.End);
                foreach (var row in rows) yield return row;
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    /// <summary>The row of one line, or null for a blank line.</summary>
    private static BulkRow? Parse(ReadOnlySequence<byte> text, long line, RowAppend? append)
    {
        ReadOnlySpan<byte> span = text.IsSingleSegment ? text.FirstSpan : text.ToArray();
        if (line == 1 && span.StartsWith("\uFEFF"u8)) span = span[3..];
        span = span.Trim(" \t\r"u8);
        if (span.IsEmpty) return null;
        if (!Utf8.IsValid(span)) return BulkRow.Refused(line, "the line is not valid UTF-8");

        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) return BulkRow.Refused(line, "the line is not a JSON object");
            reader.Skip();
            // Anything after the object (a second value on the same line) makes the reader throw.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            return BulkRow.Refused(line, $"malformed JSON at position {e.BytePositionInLine + 1}");
        }
        if (JsonStrings.FindUndecodable(span) is var bad and >= 0) return BulkRow.Refused(line, JsonStrings.Describe(span, bad));
        return BulkRow.Event(line, append is null ? span.ToArray() : Merge(span, append));
    }

    private static byte[] Merge(ReadOnlySpan<byte> obj, RowAppend append)
    {
        var reader = new Utf8JsonReader(obj);
        var buffer = new ArrayBufferWriter<byte>(obj.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, BulkJson.WriterOptions))
        {
            writer.WriteStartObject();
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (append.Contains(name))
                {
                    reader.Skip();
                    continue;
                }
                writer.WritePropertyName(name);
                writer.WriteRawValue(ValueBytes(ref reader, obj), skipInputValidation: true);
            }
            append.WriteTo(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of the value the reader is on, moving the reader to its end.</summary>
    private static ReadOnlySpan<byte> ValueBytes(ref Utf8JsonReader reader, ReadOnlySpan<byte> obj)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return obj[start..end];
    }
}
