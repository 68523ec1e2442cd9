using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sluice.Accounts;
using Sluice.Auth;
using Sluice.Hosting;

namespace Sluice.Benchmarks;

/// <summary>
/// Collect throughput of a real node (Kestrel + group commit to SQLite with synchronous=FULL) against a bare Kestrel
/// endpoint that reads the same body and answers the same envelope, under the same client load in the same run.
/// </summary>
internal static class CollectBenchmark
{
    private const string Body =
        """{"city":"AnyTown","country":"United States","first_name":"John","gender":"male","language":"English","last_name":"Smith","date_of_birth":"19820101","phone_number":"5551231234","time_zone":"GMT+7","twitter_handle":"johnsmith","email":"john.smith@email.com","braze_id":"xxxxxx"}""";

    public static async Task RunAsync(int clients, TimeSpan duration)
    {
        Console.WriteLine($"collect: {clients} clients, {duration.TotalSeconds:0} s per case, one seed webhook body (243 bytes) per request");

        await using (var bare = await BareKestrelAsync())
        {
            var address = new Uri(bare.Urls.Single());
            var r = await LoadGenerator.RunAsync(address, clients, duration, () => Post(address, "/c/1/braze_users"));
            Report("baseline: bare Kestrel, read body + JSON answer", r, null);
        }

        var data = Directory.CreateTempSubdirectory("sluice-bench-").FullName;
        try
        {
            await using var app = await SluiceApp.BuildAsync(new SluiceAppOptions { DataDir = data, Urls = "http://127.0.0.1:0", Configure = b => b.Logging.SetMinimumLevel(LogLevel.Warning) }, CancellationToken.None);
            var (account, admin) = await AccountBootstrap.EnsureAccountAsync(
                app.Services.GetRequiredService<IAccountStore>(), app.Services.GetRequiredService<TokenService>(), CancellationToken.None);
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            var path = $"/c/{account.Number}/braze_users?key={admin!.Secret}";

            using var groups = new GroupCommitListener();
            var single = await LoadGenerator.RunAsync(address, clients, duration, () => Post(address, path));
            Report("sluice: one event per request (durable ack)", single, groups.TakeSummary());

            var batch = string.Join('\n', Enumerable.Repeat(Body, 100));
            var ndjson = await LoadGenerator.RunAsync(address, clients, duration, () => Post(address, path, batch, "application/x-ndjson"));
            Report("sluice: 100 events per request (NDJSON)", ndjson with { }, groups.TakeSummary(), eventsPerRequest: 100);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static HttpRequestMessage Post(Uri address, string path, string body = Body, string type = "application/json") =>
        new(HttpMethod.Post, new Uri(address, path)) { Content = new StringContent(body, Encoding.UTF8, type) };

    private static void Report(string name, LoadGenerator.Result r, string? groups, int eventsPerRequest = 1)
    {
        Console.WriteLine($"  {name,-50} {r.RequestsPerSecond,9:N0} req/s {r.RequestsPerSecond * eventsPerRequest,10:N0} events/s  p50 {r.P50Ms,6:0.00} ms  p99 {r.P99Ms,6:0.00} ms  failures {r.Failures}");
        if (groups is not null) Console.WriteLine($"  {"",-50} {groups}");
    }

    private static async Task<WebApplication> BareKestrelAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/c/{aid}/{stream}", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return Results.Json(new { status = 200, message = "success", data = new { message_count = 1 } });
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Reads the event log writer's histograms: how many events share one commit, and how long a commit takes.</summary>
    private sealed class GroupCommitListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _commits, _events;
        private double _commitMs;

        public GroupCommitListener()
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == "Sluice.EventLog") l.EnableMeasurementEvents(i);
            };
            _listener.SetMeasurementEventCallback<int>((i, v, _, _) =>
            {
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _events, v);
            });
            _listener.SetMeasurementEventCallback<double>((i, v, _, _) =>
            {
                lock (this) _commitMs += v;
            });
            _listener.Start();
        }

        public string TakeSummary()
        {
            long commits = Interlocked.Exchange(ref _commits, 0), events = Interlocked.Exchange(ref _events, 0);
            double ms;
            lock (this)
            {
                ms = _commitMs;
                _commitMs = 0;
            }
            return commits == 0 ? "no commits" : $"group commit: {commits:N0} commits, {(double)events / commits:0.0} events/commit, {ms / commits:0.00} ms/commit (write + fsync)";
        }

        public void Dispose() => _listener.Dispose();
    }
}
