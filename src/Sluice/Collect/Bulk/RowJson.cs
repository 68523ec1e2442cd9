using System.Buffers;
using System.Text.Json;

namespace Sluice.Collect.Bulk;

/// <summary>
/// Writes one CSV row at a time as a JSON object of strings into a reused buffer: each column's <c>"name":</c> is
/// encoded once per file, and a value is copied between quotes as it is unless it holds a byte JSON must escape (a
/// quote, a backslash, a control character) or non-ASCII text, which only then goes through the encoder. The same
/// JSON <see cref="Utf8JsonWriter"/> with <see cref="BulkJson.WriterOptions"/> writes, for less work per value.
/// </summary>
internal sealed class RowJson
{
    /// <summary>Printable ASCII but the quote and the backslash: bytes copied as they are.</summary>
    private static readonly SearchValues<byte> Verbatim = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Where(b => b != '"' && b != '\\').Select(b => (byte)b)]);

    private readonly byte[]?[] _names;
    private readonly byte[] _append;
    private byte[] _buffer = new byte[4096];
    private int _length;
    private int _members;

    /// <param name="names">Each column's property name, or null for a column left out.</param>
    /// <param name="append">Members added to every row, or null.</param>
    public RowJson(IReadOnlyList<JsonEncodedText?> names, RowAppend? append)
    {
        _names = new byte[]?[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is not { } name) continue;
            _names[i] = [(byte)'"', .. name.EncodedUtf8Bytes, (byte)'"', (byte)':'];
        }
        _append = append is null || append.Count == 0 ? [] : Fragment(append);
    }

    /// <summary>The row written since <see cref="Start"/>, valid until the next one starts.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>Members written since <see cref="Start"/>, not counting appended ones.</summary>
    public int Members => _members;

    public void Start()
    {
        _length = 0;
        _members = 0;
        Append("{"u8);
    }

    /// <summary>Writes column <paramref name="column"/>'s value, which is valid UTF-8.</summary>
    public void Member(int column, ReadOnlySpan<byte> value)
    {
        if (_members++ > 0) Append(","u8);
        Append(_names[column]);
        Append("\""u8);
        if (value.IndexOfAnyExcept(Verbatim) < 0) Append(value);
        else Escaped(value);
        Append("\""u8);
    }

    public void End()
    {
        if (_append.Length > 0)
        {
            if (_members > 0) Append(","u8);
            Append(_append);
        }
        Append("}"u8);
    }

    private void Escaped(ReadOnlySpan<byte> value)
    {
        while (true)
        {
            var status = BulkJson.Encoder.EncodeUtf8(value, _buffer.AsSpan(_length), out var read, out var written);
            _length += written;
            if (status == OperationStatus.Done) return;
            // The value was checked as UTF-8 before: running out of room is the one other outcome.
            if (status != OperationStatus.DestinationTooSmall) throw new InvalidOperationException($"the JSON encoder stopped: {status}");
            value = value[read..];
            // Room for the rest as the encoder writes it at worst (six bytes per input byte: \uXXXX).
            Grow(value.Length * 6 + 16);
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length) Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Grow(int more) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));

    /// <summary>The appended members as JSON text without the braces: <c>"a":1,"b":"x"</c>, written once per file.</summary>
    private static byte[] Fragment(RowAppend append)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, BulkJson.WriterOptions))
        {
            json.WriteStartObject();
            append.WriteTo(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan[1..^1].ToArray();
    }
}
