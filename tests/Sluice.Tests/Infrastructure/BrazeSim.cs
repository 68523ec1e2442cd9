using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.BrazeSimulator;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// The Braze simulator in-process on a free port, on the real clock, with a key that may track users and one that
/// may not. Its rate limit is off unless a test sets one.
/// </summary>
public sealed class BrazeSim : IAsyncDisposable
{
    /// <summary>Long enough that the API shows its last four characters, as it would for a real Braze key.</summary>
    public const string TrackKey = "sim-track-key-7d3f0c5e-91a2-4b6e-8f0d-2c4a6e8b0d1f";

    public const string ReaderKey = "sim-reader-key-5b1e9d7c-3a2f-4e6d-9c8b-7a6f5e4d3c2b";

    private readonly BrazeSimulatorServer _server;

    private BrazeSim(BrazeSimulatorServer server)
    {
        _server = server;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public Uri BaseAddress => _server.BaseAddress;

    public HttpClient Http { get; }

    public static async Task<BrazeSim> StartAsync(Action<BrazeSimulatorOptions>? configure = null)
    {
        var options = new BrazeSimulatorOptions { Urls = "http://127.0.0.1:0", RateLimit = 0, TimeProvider = TimeProvider.System };
        options.Keys.Add(SimulatorApiKey.WithPermissions(TrackKey, SimulatorApiKey.UsersTrack));
        options.Keys.Add(SimulatorApiKey.WithPermissions(ReaderKey, "segments.list"));
        configure?.Invoke(options);
        return new BrazeSim(await BrazeSimulatorServer.StartAsync(options));
    }

    public async Task<JsonObject?> UserAsync(string externalId)
    {
        using var response = await Http.GetAsync($"sim/users/{Uri.EscapeDataString(externalId)}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The user's array attribute as a list of strings (empty when the user or attribute is missing).</summary>
    public async Task<IReadOnlyList<string>> ArrayAsync(string externalId, string attribute) =>
        (await UserAsync(externalId))?["attributes"]?[attribute] is JsonArray a ? [.. a.Select(v => (string)v!)] : [];

    public async Task<JsonObject> StatsAsync() => (await Http.GetFromJsonAsync<JsonObject>("sim/stats"))!;

    public async Task SetFaultsAsync(JsonObject faults) => (await Http.PostAsJsonAsync("sim/faults", faults)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
    }
}
