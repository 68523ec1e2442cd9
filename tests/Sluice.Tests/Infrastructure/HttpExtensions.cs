using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Infrastructure;

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string url, string body, string contentType = "application/json") =>
        http.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Asserts the status and that the body is the JSON error envelope; returns its message.</summary>
    public static async Task<string> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)body["status"]!);
        var message = (string)body["message"]!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        return message;
    }

    public static async Task<JsonObject> AssertOkAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected 2xx, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string url, JsonNode body) =>
        http.PostAsJsonAsync(url, body);
}

public static class HttpJsonExtensions
{
    public static async Task<JsonObject> GetFromJsonAsyncNode(this HttpClient http, string url) =>
        JsonNode.Parse(await http.GetStringAsync(url))!.AsObject();
}
