using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>What a conversion makes of a text value, read where it lies.</summary>
internal delegate Value TextConversion(ReadOnlySpan<char> text);

/// <summary>
/// A conversion of a field's value (<c>todate(created_at)</c>, <c>toint(session_count)</c>): a text value without JSON
/// escapes is converted from the record's own bytes, with no string made for it, since the string would be garbage
/// at once. <paramref name="fromText"/> must give what <paramref name="function"/> gives for the same text as a string
/// value; anything else (numbers, escaped or long text, a missing field) goes through <paramref name="function"/>.
/// </summary>
internal sealed class FieldConversionExpr(FieldExpr field, TextConversion fromText, Func<Value, Value> function) : Expr
{
    private const int MaxChars = 128;

    public override Value Evaluate(JsonElement record)
    {
        if (!field.TryFind(record, out var element))
        {
            return function(Value.Null);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var raw = JsonMarshal.GetRawUtf8Value(element);
            if (raw.Length >= 2 && raw.Length - 2 <= MaxChars && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
            {
                var content = raw[1..^1];
                Span<char> chars = stackalloc char[MaxChars];
                if (content.IndexOf((byte)'\\') < 0 &&
                    Utf8.ToUtf16(content, chars, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
                {
                    return fromText(chars[..written]);
                }
            }
        }

        return function(JsonValues.ToValue(element));
    }
}
