using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sluice.Benchmarks;

/// <summary>Closed-loop HTTP load: N clients each send a request as soon as the previous one answered.</summary>
internal static class LoadGenerator
{
    public sealed record Result(long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double RequestsPerSecond => Requests / Seconds;
    }

    public static async Task<Result> RunAsync(Uri baseAddress, int clients, TimeSpan duration, Func<HttpRequestMessage> request)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        // Warm up connections and JIT before measuring.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => http.SendAsync(request())));

        var latencies = new ConcurrentBag<double[]>();
        long requests = 0, failures = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>(50_000);
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request());
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
            latencies.Add([.. mine]);
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(requests, failures, seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
}
