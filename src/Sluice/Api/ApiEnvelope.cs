using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Api;

/// <summary>The Lytics response envelope every JSON route answers with.</summary>
internal sealed record ApiEnvelope(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] object? Data);

internal static class ApiJson
{
    /// <summary>Snake case, as Lytics' API; null members are kept so that shapes stay stable for clients.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Responses are application/json, never inlined in HTML, so '+' and non-ASCII letters stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Times in API responses: UTC, millisecond precision, ISO-8601.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

internal static class ApiResults
{
    /// <summary>The start of every 200 envelope, up to its <c>data</c> value, for answers written without the serializer.</summary>
    public static ReadOnlySpan<byte> OkPrefix => """{"status":200,"message":"success","data":"""u8;

    public static IResult Ok(object? data) => Results.Json(new ApiEnvelope(200, "success", data), ApiJson.Options, statusCode: 200);

    public static IResult Created(object? data) => Results.Json(new ApiEnvelope(201, "success", data), ApiJson.Options, statusCode: 201);

    /// <summary>An error: the message says what is wrong and where; <paramref name="data"/> may carry structured detail.</summary>
    public static IResult Error(int status, string message, object? data = null) =>
        Results.Json(new ApiEnvelope(status, message, data), ApiJson.Options, statusCode: status);

    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiEnvelope(status, message, null), ApiJson.Options);
    }
}
