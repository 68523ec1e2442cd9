using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Sluice.Api;

/// <summary>
/// Finds JSON strings whose escapes do not decode to Unicode: a lone surrogate such as <c>"\uD800"</c> (what
/// JavaScript's <c>JSON.stringify</c> writes for a truncated emoji). Such text is valid JSON, so the reader accepts
/// it, but every later reader that decodes the string (<c>GetString</c>, a writer, a mapping) throws. Every input
/// path that stores JSON runs this check, so the log only ever holds strings that decode.
/// </summary>
internal static class JsonStrings
{
    private const int StackScratch = 256;

    /// <summary>
    /// The byte offset of the first string or property name (at any depth) whose escapes do not decode, or -1.
    /// Only text that holds a <c>\u</c> escape is walked, so the common case costs one vectorised search. Structural
    /// errors are not reported here (the caller's own parse reports them with their place).
    /// </summary>
    public static long FindUndecodable(ReadOnlySpan<byte> json, int maxDepth = 64)
    {
        if (json.IndexOf("\\u"u8) < 0) return -1;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = maxDepth });
        Span<byte> scratch = stackalloc byte[StackScratch];
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                if (!Decodes(ref reader, scratch)) return reader.TokenStartIndex;
            }
        }
        catch (JsonException)
        {
            // Malformed: the caller's parse says where.
        }
        return -1;
    }

    /// <summary>
    /// Parses JSON text as every input must be parsed: refused when a string does not decode (see
    /// <see cref="FindUndecodable"/>) or the text is malformed, with a message saying what and where, in one shape:
    /// <c>malformed JSON at line L, position P</c> or <c>invalid Unicode at line L, position P: ...</c> (positions
    /// count bytes from 1). The document reads <paramref name="utf8"/> in place: keep it unchanged while the document lives.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out JsonDocument? json, [NotNullWhen(false)] out string? error, int maxDepth = 64)
    {
        json = null;
        if (FindUndecodable(utf8.Span, maxDepth) is var bad and >= 0)
        {
            error = Describe(utf8.Span, bad);
            return false;
        }
        try
        {
            json = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"malformed JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}";
            return false;
        }
    }

    /// <inheritdoc cref="TryParse(ReadOnlyMemory{byte}, out JsonDocument?, out string?, int)"/>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonDocument? json, [NotNullWhen(false)] out string? error, int maxDepth = 64) =>
        TryParse(Encoding.UTF8.GetBytes(text), out json, out error, maxDepth);

    /// <summary>A message naming the place of an undecodable string in a body: line and byte position in the line.</summary>
    public static string Describe(ReadOnlySpan<byte> json, long offset)
    {
        var before = json[..(int)offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return $"invalid Unicode at line {line}, position {column}: a string holds an escaped lone surrogate (\\uD800-\\uDFFF without its pair)";
    }

    private static bool Decodes(ref Utf8JsonReader reader, scoped Span<byte> scratch)
    {
        // Unescaped text is never longer than its escaped form.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var rented = length > scratch.Length ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            reader.CopyString(rented ?? scratch);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
