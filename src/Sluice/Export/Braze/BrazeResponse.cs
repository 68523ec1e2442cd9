using System.Text.Json;

namespace Sluice.Export.Braze;

/// <summary>
/// Reads Braze's answer to <c>/users/track</c>: <c>{"message": ..., "errors": [{"type", "input_array", "index"}]}</c>.
/// Braze's documented error entries are objects; the live API sometimes answers with plain strings instead, which
/// name no object and are kept as the request's message. Any text from Braze has the API key removed: a 401 body is
/// said to echo it.
/// </summary>
internal static class BrazeResponse
{
    private const int MaxMessageLength = 500;

    public static async Task<(string? Message, List<(int Index, string Message)> Errors, List<string> Unindexed)> ReadAsync(
        HttpResponseMessage response, string apiKey, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        var errors = new List<(int, string)>();
        var unindexed = new List<string>();
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (Clean(text, apiKey), errors, unindexed);
            if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = Clean(m.GetString()!, apiKey);
            if (doc.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in list.EnumerateArray()) Read(entry, apiKey, errors, unindexed);
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML page or a truncated body: keep a short, clean excerpt for the operator.
            message = text.Length == 0 ? null : Clean(text, apiKey);
        }
        return (message, errors, unindexed);
    }

    private static void Read(JsonElement entry, string apiKey, List<(int, string)> errors, List<string> unindexed)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            unindexed.Add(Clean(entry.GetString()!, apiKey));
            return;
        }
        if (entry.ValueKind != JsonValueKind.Object) return;
        var type = entry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var detail = entry.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var text = Clean(string.Join(": ", new[] { type, detail }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } s ? s : "error", apiKey);
        // Only attributes are sent; an entry for another array (or none) cannot point at one of our objects.
        var array = entry.TryGetProperty("input_array", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : "attributes";
        if (array == "attributes" && entry.TryGetProperty("index", out var i) && i.TryGetInt32(out var index) && index >= 0) errors.Add((index, text));
        else unindexed.Add(text);
    }

    public static string Clean(string text, string apiKey)
    {
        if (apiKey.Length > 0) text = text.Replace(apiKey, "REDACTED", StringComparison.Ordinal);
        return text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
    }
}
