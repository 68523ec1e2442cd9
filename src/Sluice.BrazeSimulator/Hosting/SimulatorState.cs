using Sluice.BrazeSimulator.Faults;
using Sluice.BrazeSimulator.Inspection;
using Sluice.BrazeSimulator.RateLimiting;
using Sluice.BrazeSimulator.Store;
using Sluice.BrazeSimulator.Track;

namespace Sluice.BrazeSimulator.Hosting;

/// <summary>Everything one simulator instance holds; a singleton in its host.</summary>
internal sealed class SimulatorState
{
    public SimulatorState(BrazeSimulatorOptions options)
    {
        Options = options;
        Keys = (options.Keys.Count > 0 ? options.Keys : [SimulatorApiKey.WithPermissions("sim-key", SimulatorApiKey.UsersTrack)])
            .GroupBy(k => k.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        Store = new UserStore(options);
        Limiter = new FixedWindowRateLimiter(options);
        Faults = new FaultInjector(options.Faults);
        Stats = new SimulatorStats();
        Log = new RequestLog(options.RequestLogCapacity);
        Parser = new TrackRequestParser(options);
    }

    public BrazeSimulatorOptions Options { get; }

    public IReadOnlyDictionary<string, SimulatorApiKey> Keys { get; }

    public UserStore Store { get; }

    public FixedWindowRateLimiter Limiter { get; }

    public FaultInjector Faults { get; }

    public SimulatorStats Stats { get; }

    public RequestLog Log { get; }

    public TrackRequestParser Parser { get; }

    public TimeProvider Time => Options.TimeProvider;

    /// <summary>Clears users, the request log, the counters and the rate-limit window; keys and faults stay.</summary>
    public void Reset()
    {
        Store.Clear();
        Log.Clear();
        Stats.Reset();
        Limiter.Reset();
    }
}
