using System.Text;
using Sluice.Api;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Audiences.Api;

/// <summary>
/// A FilterQL statement sent on its own: the body as text (<c>text/plain</c>, as Lytics' validate takes it), or a
/// JSON object <c>{"segment_ql": "..."}</c> when the content type says JSON.
/// </summary>
internal static class SegmentStatementBody
{
    public static async Task<(string? Statement, IResult? Error)> ReadAsync(HttpRequest request)
    {
        // Beyond the statement limit (with room for JSON escapes) the text is refused as too long without being kept.
        var bytes = await RequestBody.ReadAsync(request, SegmentApi.MaxBodyBytes);
        if (bytes is null) return (null, TooLong());
        // go-lytics posts the statement as text under a JSON content type: only a body that is an object is JSON.
        if (IsJson(request) && bytes.AsSpan().TrimStart(" \t\r\n"u8) is [(byte)'{', ..])
        {
            var (json, error) = RequestBody.ParseObject(bytes);
            if (json is null) return (null, error);
            using (json)
            {
                if (!json.RootElement.TryGetProperty("segment_ql", out var ql) || ql.ValueKind != System.Text.Json.JsonValueKind.String)
                {
                    return (null, ApiResults.Error(400, "the JSON body needs segment_ql, a string holding the FilterQL statement"));
                }
                return Present(ql.GetString()!);
            }
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiResults.Error(400, "the statement is not valid UTF-8 text"));
        }
        return Present(text);
    }

    private static (string?, IResult?) Present(string text) => string.IsNullOrWhiteSpace(text)
        ? (null, ApiResults.Error(400, "send the FilterQL statement as the body (text/plain), or as {\"segment_ql\": \"...\"}"))
        : (text, null);

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static IResult TooLong() => ApiResults.Error(400,
        $"invalid FilterQL: line 1, column 1: the statement is longer than the limit of {ParseLimits.Default.MaxBytes} bytes",
        new { line = 1, column = 1 });
}
