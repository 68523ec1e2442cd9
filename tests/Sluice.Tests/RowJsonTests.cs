using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Collect.Bulk;

namespace Sluice.Tests;

/// <summary>
/// The CSV reader's row writer gives byte for byte the JSON that <see cref="Utf8JsonWriter"/> with the bulk options
/// gave before it: every ASCII character alone and inside text, non-ASCII names, line and paragraph separators,
/// emoji, values longer than its buffer full of characters to escape, and members appended to every row.
/// </summary>
public sealed class RowJsonTests
{
    private static readonly string[] Columns = ["id", "name", "note", "São Paulo <&>"];

    public static TheoryData<string> Values()
    {
        var data = new TheoryData<string>();
        for (var c = 0; c < 128; c++)
        {
            data.Add(((char)c).ToString());
            data.Add($"a{(char)c}b");
        }
        foreach (var value in new[] { "Zoë Müller", "Kraków, \"PL\"", "line\u2028para\u2029", "🙂 ok", "tab\there\r\nnext", "ÿ\u00a0\u0085", "\uFEFFbom" })
        {
            data.Add(value);
        }
        data.Add(new string('"', 5_000) + "é" + new string('\u0001', 3_000));
        data.Add(new string('x', 10_000));
        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void A_row_is_the_JSON_the_writer_gave(string value)
    {
        string[] row = ["u1", value, "", value + "!"];
        Assert.Equal(Expected(row, null), Written(row, null));
    }

    [Fact]
    public void Appended_members_follow_the_row_and_replace_its_column()
    {
        var append = RowAppend.Parse("""{"note":"from the file","n":1.50,"tags":["a","\u00e9"],"nested":{"x":null}}""", out var error);
        Assert.Null(error);
        string[] row = ["u1", "Zoë", "dropped", "x"];
        Assert.Equal(Expected(row, append), Written(row, append));
    }

    private static JsonEncodedText?[] Names(RowAppend? append) =>
        [.. Columns.Select(c => append?.Contains(c) == true ? (JsonEncodedText?)null : JsonEncodedText.Encode(c, BulkJson.Encoder))];

    private static string Written(string[] row, RowAppend? append)
    {
        var json = new RowJson(Names(append), append);
        // A row written before, so that the buffer is reused as the reader reuses it.
        json.Start();
        json.Member(0, "earlier row"u8);
        json.End();
        json.Start();
        var names = Names(append);
        for (var i = 0; i < row.Length; i++)
        {
            if (names[i] is null || row[i].Length == 0) continue;
            json.Member(i, Encoding.UTF8.GetBytes(row[i]));
        }
        json.End();
        return Encoding.UTF8.GetString(json.Written.Span);
    }

    /// <summary>What the reader wrote before: <see cref="Utf8JsonWriter"/> with <see cref="BulkJson.WriterOptions"/>.</summary>
    private static string Expected(string[] row, RowAppend? append)
    {
        var names = Names(append);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, BulkJson.WriterOptions))
        {
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                if (names[i] is not { } name || row[i].Length == 0) continue;
                writer.WriteString(name, Encoding.UTF8.GetBytes(row[i]));
            }
            append?.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
