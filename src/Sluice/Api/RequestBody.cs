using System.Text.Json;

namespace Sluice.Api;

/// <summary>Reading small request bodies whole, with a limit, and as a JSON object with errors that say where.</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The body as a JSON object, or the error to answer with: 413 over the limit, 400 for an empty body, malformed
    /// JSON, a string that does not decode, or a value that is not an object.
    /// </summary>
    public static async Task<(JsonDocument? Json, IResult? Error)> ReadObjectAsync(HttpRequest request, int maxBytes)
    {
        var bytes = await ReadAsync(request, maxBytes);
        return bytes is null ? (null, ApiResults.Error(413, $"the body is larger than {maxBytes} bytes")) : ParseObject(bytes);
    }

    public static (JsonDocument? Json, IResult? Error) ParseObject(byte[] bytes)
    {
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) return (null, ApiResults.Error(400, "send a JSON object as the body"));
        if (!JsonStrings.TryParse(bytes, out var json, out var problem)) return (null, ApiResults.Error(400, problem));
        if (json.RootElement.ValueKind == JsonValueKind.Object) return (json, null);
        json.Dispose();
        return (null, ApiResults.Error(400, "the body must be a JSON object"));
    }
}
