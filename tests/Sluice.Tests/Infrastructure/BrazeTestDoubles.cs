using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Sluice.Authorizations;
using Sluice.Export;
using Sluice.Export.Braze;

namespace Sluice.Tests.Infrastructure;

/// <summary>Braze authorizations the tests declare (an account's authorization id → a workspace), without the authorization API.</summary>
internal sealed class FixedBrazeCredentials : IBrazeCredentials
{
    private readonly ConcurrentDictionary<(string AccountId, string AuthId), BrazeWorkspace> _workspaces = new();

    /// <summary>Declares a Braze authorization of the account and returns its id. Nothing listens on the address.</summary>
    public string Add(string accountId)
    {
        var id = Guid.NewGuid().ToString("N");
        _workspaces[(accountId, id)] = new BrazeWorkspace(new Uri("http://127.0.0.1:9/"), "test-key-" + id);
        return id;
    }

    public Task<BrazeWorkspace?> WorkspaceAsync(string accountId, string authorizationId, CancellationToken ct) =>
        Task.FromResult(_workspaces.GetValueOrDefault((accountId, authorizationId)));
}

/// <summary>A dry-run planner that answers with one request naming the config's attribute and audiences, and fixed counts.</summary>
internal sealed class FixedPlanner : IBrazeExportPlanner
{
    public Task<BrazeDryRun> DryRunAsync(string accountId, BrazeExportConfig config, int maxRequests, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["attributes"] = new JsonArray(new JsonObject
            {
                ["external_id"] = "u1",
                [config.AttributeName] = new JsonObject { ["add"] = new JsonArray([.. config.SegmentIds.Select(s => (JsonNode)(config.SlugPrefix + s))]) },
            }),
        };
        return Task.FromResult(new BrazeDryRun([request], Users: 1, RequestsTotal: 1, SkippedNoId: 0));
    }
}

/// <summary>A Braze that takes every request: it records the attribute objects it was sent.</summary>
internal sealed class AcceptingTrackClient : IBrazeTrackClient
{
    public ConcurrentQueue<JsonObject> Sent { get; } = new();

    public Task<TrackResult> TrackAsync(BrazeWorkspace workspace, IReadOnlyList<JsonObject> attributes, CancellationToken ct)
    {
        foreach (var a in attributes) Sent.Enqueue(a);
        return Task.FromResult(new TrackResult(TrackOutcome.Delivered, [], null, 1));
    }
}

/// <summary>A node whose Braze authorizations, Braze client and dry runs are the test doubles above.</summary>
internal static class BrazeTestNode
{
    public static async Task<(TestServer Server, FixedBrazeCredentials Credentials)> StartAsync(string? dataDir = null, FixedBrazeCredentials? credentials = null)
    {
        credentials ??= new FixedBrazeCredentials();
        var server = await TestServer.StartAsync(b => Configure(b, credentials), dataDir);
        return (server, credentials);
    }

    private static void Configure(WebApplicationBuilder builder, FixedBrazeCredentials credentials)
    {
        builder.Services.AddSingleton<IBrazeCredentials>(credentials);
        builder.Services.AddSingleton<IBrazeExportPlanner, FixedPlanner>();
        builder.Services.AddSingleton<IBrazeTrackClient, AcceptingTrackClient>();
    }
}

/// <summary>A server with Braze test doubles shared by a test class.</summary>
public sealed class BrazeServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    internal FixedBrazeCredentials Credentials { get; private set; } = null!;

    public async ValueTask InitializeAsync() => (Server, Credentials) = await BrazeTestNode.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
