using Microsoft.Extensions.Configuration;
using Sluice.Export.Braze;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// The Braze client as the server wires it (named clients, resilience, limiter registry) without a whole server,
/// with short retry delays so that fault storms finish quickly.
/// </summary>
public sealed class BrazeClientHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public BrazeClientHost(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sluice:Braze:RetryBaseDelay"] = "00:00:00.010",
            ["Sluice:Braze:RetryMaxDelay"] = "00:00:00.200",
            ["Sluice:Braze:AttemptTimeout"] = "00:00:02",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddSluiceBraze()
            .BuildServiceProvider();
    }

    public LogSink Logs { get; } = new();

    internal IBrazeTrackClient Client => _services.GetRequiredService<IBrazeTrackClient>();

    internal BrazeRateLimiters Limiters => _services.GetRequiredService<BrazeRateLimiters>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
