using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sluice.BrazeSimulator;

// Drives an in-process simulator with concurrent clients posting 75-object /users/track requests, the shape an
// audience export sends. Usage: [--seconds 10] [--clients 32] [--objects 75] [--warmup 3]
var settings = BenchSettings.Parse(args);
var options = new BrazeSimulatorOptions
{
    Urls = "http://127.0.0.1:0",
    // The point is the simulator's own ceiling, so Braze's 1,000 req/s budget must not cap it.
    RateLimit = 0,
};
await using var server = await BrazeSimulatorServer.StartAsync(options);
var bodies = Enumerable.Range(0, 256).Select(i => BenchBodies.Create(i, settings.Objects)).ToArray();

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sim-key");

await RunAsync(TimeSpan.FromSeconds(settings.WarmupSeconds), record: false);
var (requests, failures, latencies, elapsed) = await RunAsync(TimeSpan.FromSeconds(settings.Seconds), record: true);

latencies.Sort();
double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
var perSecond = requests / elapsed.TotalSeconds;
var c = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(c, $"clients={settings.Clients} objects/request={settings.Objects} seconds={elapsed.TotalSeconds:0.0}"));
Console.WriteLine(string.Create(c, $"requests={requests} failures={failures}"));
Console.WriteLine(string.Create(c, $"requests/s={perSecond:0} objects/s={perSecond * settings.Objects:0}"));
Console.WriteLine(string.Create(c, $"latency p50={Percentile(0.50):0.00} ms p99={Percentile(0.99):0.00} ms"));
Console.WriteLine(string.Create(c, $"versus Braze's limit of 3,000 req/3 s (1,000 req/s): {perSecond / 1000:0.0}x"));
return failures == 0 ? 0 : 1;

async Task<(long Requests, long Failures, List<double> Latencies, TimeSpan Elapsed)> RunAsync(TimeSpan duration, bool record)
{
    long requests = 0;
    long failures = 0;
    var perClient = new List<double>[settings.Clients];
    var started = Stopwatch.GetTimestamp();
    var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var workers = Enumerable.Range(0, settings.Clients).Select(async worker =>
    {
        var mine = perClient[worker] = new List<double>(100_000);
        var i = worker;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var body = bodies[i++ % bodies.Length];
            var sent = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("users/track", content);
            await response.Content.LoadIntoBufferAsync();
            if (record)
            {
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            Interlocked.Increment(ref requests);
            if ((int)response.StatusCode != 201)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started);
    return (requests, failures, perClient.SelectMany(l => l).ToList(), elapsed);
}

internal sealed record BenchSettings(int Seconds, int Clients, int Objects, int WarmupSeconds)
{
    public static BenchSettings Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchSettings(Get("--seconds", 10), Get("--clients", 32), Get("--objects", 75), Get("--warmup", 3));
    }
}

/// <summary>Request bodies like an audience export's: membership arrays as add/remove plus a few profile fields.</summary>
internal static class BenchBodies
{
    public static byte[] Create(int seed, int objects)
    {
        var random = new Random(seed);
        var attributes = Enumerable.Range(0, objects).Select(_ =>
        {
            var id = random.Next(0, 200_000);
            return new Dictionary<string, object>
            {
                ["external_id"] = "user-" + id.ToString(CultureInfo.InvariantCulture),
                ["first_name"] = "Name" + (id % 977).ToString(CultureInfo.InvariantCulture),
                ["email"] = $"user{id.ToString(CultureInfo.InvariantCulture)}@example.com",
                ["lytics_segments"] = new Dictionary<string, string[]>
                {
                    ["add"] = ["seg_" + random.Next(0, 40).ToString(CultureInfo.InvariantCulture), "all"],
                    ["remove"] = ["seg_" + random.Next(0, 40).ToString(CultureInfo.InvariantCulture)],
                },
                ["score"] = random.Next(0, 1000),
            };
        });
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { attributes }));
    }
}
