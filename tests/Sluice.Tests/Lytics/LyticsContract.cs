using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>
/// What Lytics' clients require of every answer: the envelope's <c>status</c> a number equal to the HTTP status,
/// <c>message</c> a string (<c>"success"</c> on success, which lytics-js tests for), and times in UTC with <c>Z</c>.
/// </summary>
internal static class LyticsContract
{
    public static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected 2xx, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)response.StatusCode, (int)body["status"]!);
        Assert.Equal("success", (string)body["message"]!);
        return body;
    }

    public static async Task<JsonObject> GetOkAsync(this HttpClient http, string url) => await OkAsync(await http.GetAsync(url));

    /// <summary>A Lytics time: ISO-8601 in UTC with a trailing <c>Z</c>, as go-lytics' <c>time.Time</c> decodes it.</summary>
    public static void IsTime(JsonNode? node)
    {
        var text = (string)node!;
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _), text);
    }

    public static void IsString(JsonNode? node) => Assert.Equal(System.Text.Json.JsonValueKind.String, node!.GetValueKind());

    public static void IsNumber(JsonNode? node) => Assert.Equal(System.Text.Json.JsonValueKind.Number, node!.GetValueKind());

    public static void IsBool(JsonNode? node) => Assert.Contains(node!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });

    public static HttpStatusCode Status(this HttpResponseMessage response) => response.StatusCode;
}
