using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.BrazeSimulator.Tests;

/// <summary>One simulator on a free loopback port plus a client holding the default key.</summary>
internal sealed class SimFixture : IAsyncDisposable
{
    public const string Key = "sim-key";

    private SimFixture(BrazeSimulatorServer server, BrazeSimulatorOptions options)
    {
        Server = server;
        Options = options;
        Client = NewClient();
    }

    public BrazeSimulatorServer Server { get; }

    public BrazeSimulatorOptions Options { get; }

    public HttpClient Client { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static DateTimeOffset Start { get; } = new(2025, 3, 1, 12, 0, 1, TimeSpan.Zero);

    /// <summary>Starts a simulator; by default with a frozen fake clock and no rate limit in the way.</summary>
    public static async Task<SimFixture> StartAsync(Action<BrazeSimulatorOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new BrazeSimulatorOptions
        {
            Urls = "http://127.0.0.1:0",
            TimeProvider = time ?? new FakeTimeProvider(Start),
        };
        configure?.Invoke(options);
        var server = await BrazeSimulatorServer.StartAsync(options, Ct);
        return new SimFixture(server, options);
    }

    public HttpClient NewClient(string? key = Key)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public Task<HttpResponseMessage> TrackAsync(string json, HttpClient? client = null) =>
        (client ?? Client).PostAsync("users/track", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public Task<HttpResponseMessage> TrackAsync(object body, HttpClient? client = null) => TrackAsync(JsonSerializer.Serialize(body), client);

    public async Task<JsonObject> TrackOkAsync(object body)
    {
        using var response = await TrackAsync(body);
        var json = await ReadObjectAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }

    public async Task<JsonObject?> UserAsync(string externalId)
    {
        using var response = await Client.GetAsync($"sim/users/{Uri.EscapeDataString(externalId)}", Ct);
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await ReadObjectAsync(response);
    }

    public async Task<JsonNode?> AttributeAsync(string externalId, string attribute) =>
        (await UserAsync(externalId))?["attributes"]?[attribute];

    public async Task<JsonObject> StatsAsync() => (await Client.GetFromJsonAsync<JsonObject>("sim/stats", Ct))!;

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
