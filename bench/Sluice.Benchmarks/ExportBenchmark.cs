using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sluice.Accounts;
using Sluice.Audiences;
using Sluice.Auth;
using Sluice.BrazeSimulator;
using Sluice.EventLog;
using Sluice.Hosting;
using Sluice.Processing;

namespace Sluice.Benchmarks;

/// <summary>
/// The Braze audience export against the Braze simulator, both in this process: a backfill of every member of three
/// audiences with the simulator's rate limit off (users/s and requests against ceil(users / 75), read against Braze's
/// own ceiling and a bare client loop sending as many 75-object requests to the same simulator); a backfill held to a
/// small budget (300 requests / 3 s) for a fixed time, by one job and by two jobs sharing the workspace (budget used,
/// 429s); and real time: webhooks that flip an audience at a fixed rate, from each webhook's 2xx to the simulator's
/// receipt of the user's change.
/// </summary>
internal static class ExportBenchmark
{
    private const string ApiKey = "bench-track-key-2f6a9c1e-47b3-4d8a-9e0f-1b2c3d4e5f60";
    private const int Objects = 75;
    private const int EngineConcurrency = 4;
    private const int LimitedRequests = 300;
    private static readonly TimeSpan LimitedWindow = TimeSpan.FromSeconds(3);
    private static readonly string[] Cities = ["Oslo", "Bergen", "Rome"];

    /// <summary>Every profile is in "with_id"; two in three are in "nordic"; one in three in "oslo" as well.</summary>
    private static readonly (string Slug, string Ql)[] Audiences =
    [
        ("oslo", "FILTER city = \"Oslo\""),
        ("nordic", "FILTER city IN (\"Oslo\", \"Bergen\")"),
        ("with_id", "FILTER EXISTS braze_id"),
    ];

    public static async Task RunAsync(int members, int limitedSeconds, int changesPerSecond, int realtimeSeconds)
    {
        Console.WriteLine($"export: {members:N0} profiles ({Audiences.Length} audiences), budget case {limitedSeconds} s at {LimitedRequests}/{LimitedWindow.TotalSeconds:0} s, " +
            $"real time {changesPerSecond:N0} changes/s for {realtimeSeconds} s");
        var requests = (members + Objects - 1) / Objects;

        await using var open = await StartSimulatorAsync(rateLimit: 0, logCapacity: 100_000);
        using var openHttp = new HttpClient { BaseAddress = open.BaseAddress };
        Console.WriteLine($"  baseline: Braze's ceiling, 3,000 requests / 3 s × 75            {75_000,10:N0} users/s");
        foreach (var concurrency in new[] { EngineConcurrency, 32 })
        {
            var raw = await RawLoopAsync(openHttp, requests, concurrency);
            Console.WriteLine($"  baseline: bare client → simulator, {requests:N0} × 75 objects, {concurrency,2} in flight {members / raw.TotalSeconds,10:N0} users/s  ({raw.TotalSeconds:0.0} s)");
            (await openHttp.PostAsync(new Uri("sim/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        var data = Directory.CreateTempSubdirectory("sluice-bench-export-").FullName;
        try
        {
            await using var app = await SluiceApp.BuildAsync(new SluiceAppOptions { DataDir = data, Urls = "http://127.0.0.1:0", Configure = b => b.Logging.SetMinimumLevel(LogLevel.Warning) }, CancellationToken.None);
            var (account, admin) = await AccountBootstrap.EnsureAccountAsync(
                app.Services.GetRequiredService<IAccountStore>(), app.Services.GetRequiredService<TokenService>(), CancellationToken.None);
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
            var sluice = new Api(http, admin!.Secret);

            var since = DateTimeOffset.UtcNow;
            foreach (var (slug, ql) in Audiences)
            {
                await sluice.PostAsync("/api/segment", new JsonObject { ["name"] = slug, ["slug_name"] = slug, ["segment_ql"] = ql });
            }
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
            {
                await app.Services.GetRequiredService<AudienceEvaluationProgress>().WaitAsync(account.Id, s => s.State != "running" && s.Started >= since, timeout.Token);
            }

            var load = Stopwatch.StartNew();
            using (var upload = new HttpRequestMessage(HttpMethod.Post, new Uri($"/collect/bulk/braze_users?key={admin.Secret}", UriKind.Relative)) { Content = new NdjsonProfiles(members) })
            using (var response = await http.SendAsync(upload))
            {
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"bulk load: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            var loaded = load.Elapsed;
            var partition = app.Services.GetRequiredService<Partitioner>().For(account.Id);
            var head = await app.Services.GetRequiredService<IEventLog>().HeadAsync(partition, CancellationToken.None);
            await app.Services.GetRequiredService<ProcessingProgress>().WaitForAsync(partition, head, CancellationToken.None);
            Console.WriteLine($"  setup: bulk load {members / loaded.TotalSeconds:N0} events/s ({loaded.TotalSeconds:0.0} s), processed into profiles and audiences after {load.Elapsed.TotalSeconds:0.0} s");

            // 1. Backfill with the simulator's limit off.
            var openAuth = await sluice.AuthorizeAsync(open.BaseAddress, "open");
            var backfill = await BackfillAsync(sluice, openHttp, openAuth, [.. Audiences.Select(a => a.Slug)]);
            var users = backfill.Done;
            var ideal = (users + Objects - 1) / Objects;
            Console.WriteLine($"  sluice: backfill, job start → complete                          {users / backfill.Elapsed.TotalSeconds,10:N0} users/s  ({users:N0} users in {backfill.Elapsed.TotalSeconds:0.0} s; " +
                $"first request after {backfill.FirstRequest.TotalSeconds:0.0} s)");
            Console.WriteLine($"          from the first request to complete                       {users / (backfill.Elapsed - backfill.FirstRequest).TotalSeconds,10:N0} users/s");
            Console.WriteLine($"          requests {backfill.Requests:N0} for {users:N0} users = {(double)backfill.Requests / ideal:0.000} × ceil(users / 75) ({ideal:N0}); " +
                $"{backfill.Objects:N0} objects accepted, {backfill.Users:N0} users in the simulator");
            Console.WriteLine($"          CPU of this process (Sluice + simulator) {backfill.Cpu.TotalSeconds:0.0} s over {backfill.Elapsed.TotalSeconds:0.0} s wall = {backfill.Cpu / backfill.Elapsed:0.00} cores of {Environment.ProcessorCount}");

            await StepAnatomyAsync(app.Services, account.Id, partition, Math.Min(100, members / 1000));

            // 2. A small budget: one job, then two sharing the workspace.
            await using (var limited = await StartSimulatorAsync(LimitedRequests, logCapacity: 1000))
            {
                using var limitedHttp = new HttpClient { BaseAddress = limited.BaseAddress };
                var limitedAuth = await sluice.AuthorizeAsync(limited.BaseAddress, "limited");
                var one = await BudgetAsync(sluice, limitedHttp, limitedSeconds, [(limitedAuth, [.. Audiences.Select(a => a.Slug)])]);
                Report("one job", one, limitedSeconds);
                // A fresh window, and the first job's pace forgotten by nobody: the limiter is the workspace's, in this process.
                await Task.Delay(LimitedWindow * 2);
                var two = await BudgetAsync(sluice, limitedHttp, limitedSeconds, [(limitedAuth, ["oslo"]), (limitedAuth, ["nordic", "with_id"])]);
                Report("two jobs, one workspace", two, limitedSeconds);
            }

            // 3. Real time, on the first job (streaming since its backfill completed, default linger).
            if (changesPerSecond > 0 && realtimeSeconds > 0)
            {
                await RealTimeAsync(sluice, openHttp, account.Number, members, changesPerSecond, realtimeSeconds, backfill.JobId);
            }
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A pooled handle may linger; the temp folder goes with the OS's cleaning.
            }
        }
    }

    /// <summary>
    /// Where a backfill step's time goes: the calls one step makes for a page of 1,000 profiles, timed one by one
    /// outside the engine on the idle node (the scan, the profiles again through the partition grain, their
    /// documents, the told state, and the save of 1,000 told states and 1,000 row-log entries in one transaction,
    /// under a throwaway job id). The step's requests are the simulator's share, read from the bare client loop.
    /// </summary>
    private static async Task StepAnatomyAsync(IServiceProvider services, string accountId, int partitionNumber, int pages)
    {
        if (pages == 0) return;
        var profiles = services.GetRequiredService<Sluice.Profiles.IProfileStore>();
        var state = services.GetRequiredService<Sluice.Export.IExportStateStore>();
        var grain = services.GetRequiredService<IGrainFactory>().GetGrain<IPartitionGrain>(partitionNumber);
        const string job = "bench-step-anatomy";
        await state.SaveAsync(job, new Sluice.Export.ExportCheckpoint(0, null, 0, 0, 0), [], [], CancellationToken.None);
        double scan = 0, get = 0, docs = 0, told = 0, save = 0;
        long after = 0;
        for (var p = 0; p < pages; p++)
        {
            var w = Stopwatch.StartNew();
            var page = await profiles.ScanAsync(accountId, after, 1000, CancellationToken.None);
            scan += w.Elapsed.TotalMilliseconds;
            after = page[^1].Id;
            var ids = page.Select(r => r.Id).ToArray();
            w.Restart();
            var current = await grain.GetProfilesAsync(accountId, ids);
            get += w.Elapsed.TotalMilliseconds;
            w.Restart();
            var identifiers = current.Values.Select(c => Sluice.Profiles.ProfileDocument.Deserialize(c.Doc).Fields.Count).Sum();
            docs += w.Elapsed.TotalMilliseconds;
            GC.KeepAlive(identifiers);
            w.Restart();
            await state.ToldAsync(job, ids, CancellationToken.None);
            told += w.Elapsed.TotalMilliseconds;
            var now = DateTimeOffset.UtcNow;
            var updates = ids.Select(id => KeyValuePair.Create(id, (Sluice.Export.ToldState?)new Sluice.Export.ToldState(Id((int)id), ["lytics_nordic", "lytics_with_id"]))).ToList();
            var rows = ids.Select(id => new Sluice.Export.ExportRow(now, Id((int)id), ["lytics_nordic", "lytics_with_id"], [], "sent", null, 1)).ToList();
            w.Restart();
            await state.SaveAsync(job, new Sluice.Export.ExportCheckpoint(0, "backfill", after, (p + 1) * 1000L, 0), updates, rows, CancellationToken.None);
            save += w.Elapsed.TotalMilliseconds;
        }
        await state.ForgetAsync(job, CancellationToken.None);
        Console.WriteLine($"          one step's store calls per 1,000 profiles ({pages} pages, idle node): scan {scan / pages:0.0} ms, profiles via the partition grain {get / pages:0.0} ms, " +
            $"documents {docs / pages:0.0} ms, told state {told / pages:0.0} ms, save (1,000 told + 1,000 rows, one commit) {save / pages:0.0} ms = {(scan + get + docs + told + save) / pages:0.0} ms");
    }

    private static void Report(string name, Budget b, int seconds)
    {
        var budget = LimitedRequests * seconds / LimitedWindow.TotalSeconds;
        Console.WriteLine($"  sluice: {LimitedRequests}/3 s, {name,-26} budget used {100.0 * b.Accepted / budget,6:0.0} %  ({b.Accepted:N0} of {budget:N0} requests in the {seconds} s of whole windows after the first request; " +
            $"429s {100.0 * b.RateLimited / Math.Max(1, b.Requests):0.00} % = {b.RateLimited} of {b.Requests:N0}; {b.Objects:N0} objects; first request {b.FirstRequest.TotalSeconds:0.0} s after the job(s) started)");
    }

    private sealed record BackfillResult(string JobId, TimeSpan Elapsed, TimeSpan FirstRequest, long Done, long Requests, long Objects, long Users, TimeSpan Cpu);

    private static async Task<BackfillResult> BackfillAsync(Api sluice, HttpClient sim, string auth, string[] audiences)
    {
        var before = await StatsAsync(sim);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var job = await sluice.CreateJobAsync(auth, audiences, existingUsers: true);
        TimeSpan? first = null;
        while (true)
        {
            await Task.Delay(100);
            if (first is null && (long)(await StatsAsync(sim))["requests"]! > (long)before["requests"]!) first = watch.Elapsed;
            var backfill = (await sluice.GetAsync($"/v2/job/{job}"))["data"]!["progress"]!["backfill"]!;
            if ((bool)backfill["complete"]!)
            {
                var elapsed = watch.Elapsed;
                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var after = await StatsAsync(sim);
                return new BackfillResult(job, elapsed, first ?? elapsed, (long)backfill["done"]!, Delta(after, before, "requests"), Delta(after, before, "objects"), (int)after["users"]!, used);
            }
        }
    }

    private sealed record Budget(long Requests, long Accepted, long RateLimited, long Objects, TimeSpan FirstRequest);

    /// <summary>Starts the jobs together, counts at the simulator from its first request for <paramref name="seconds"/>, then cancels them.</summary>
    private static async Task<Budget> BudgetAsync(Api sluice, HttpClient sim, int seconds, (string Auth, string[] Audiences)[] jobs)
    {
        var start = await StatsAsync(sim);
        var watch = Stopwatch.StartNew();
        var ids = new List<string>();
        foreach (var (auth, audiences) in jobs) ids.Add(await sluice.CreateJobAsync(auth, audiences, existingUsers: true));
        JsonObject from;
        do
        {
            await Task.Delay(20);
            from = await StatsAsync(sim);
        }
        while ((long)from["requests"]! == (long)start["requests"]!);
        var first = watch.Elapsed;
        // The simulator's windows are fixed and aligned to the epoch: count whole windows, from the next one's start.
        var window = (long)LimitedWindow.TotalMilliseconds;
        var boundary = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / window + 1) * window);
        await Task.Delay(boundary - DateTimeOffset.UtcNow);
        from = await StatsAsync(sim);
        await Task.Delay(boundary.AddSeconds(seconds) - DateTimeOffset.UtcNow);
        var to = await StatsAsync(sim);
        foreach (var id in ids) await sluice.PostAsync($"/v2/job/{id}/cancel", null);
        return new Budget(Delta(to, from, "requests"), Delta(to, from, "accepted"), Delta(to, from, "rate_limited"), Delta(to, from, "objects"), first);
    }

    /// <summary>
    /// Open loop: every 10 ms a hundredth of the rate of webhooks, each moving a distinct profile between Oslo and Bergen
    /// (one change of "oslo" each). Latency: the webhook's 2xx → the simulator receiving the first request naming the user.
    /// </summary>
    private static async Task RealTimeAsync(Api sluice, HttpClient sim, long accountNumber, int members, int rate, int seconds, string jobId)
    {
        var candidates = Enumerable.Range(0, members).Where(i => i % 3 != 2).ToArray();
        var total = Math.Min(rate * seconds, candidates.Length);
        var acked = new DateTimeOffset[total];
        var roundTrips = new double[total];
        var failures = 0;
        var perTick = Math.Max(1, rate / 100);
        var sends = new List<Task>(total);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        // The backfill named these users too: only what arrives from now on is a receipt.
        var began = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        for (var n = 0; n < total;)
        {
            await timer.WaitForNextTickAsync();
            // Catch up after a late tick, so the rate holds on a busy machine.
            var due = Math.Min(total, (int)(watch.Elapsed.TotalSeconds * rate) + perTick);
            for (; n < due; n++)
            {
                var slot = n;
                var i = candidates[slot];
                var city = Cities[i % 3] == "Oslo" ? "Bergen" : "Oslo";
                sends.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await sluice.Http.PostAsync(new Uri($"/c/{accountNumber}/braze_users?key={sluice.Token}", UriKind.Relative),
                        new StringContent($$"""{"braze_id":"{{Id(i)}}","email":"{{Id(i)}}@example.com","city":"{{city}}"}""", Encoding.UTF8, "application/json"));
                    if (response.IsSuccessStatusCode) acked[slot] = DateTimeOffset.UtcNow;
                    else Interlocked.Increment(ref failures);
                    roundTrips[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }));
            }
        }
        await Task.WhenAll(sends);
        var achieved = total / watch.Elapsed.TotalSeconds;

        // Let the job catch up with the feed, then read what the simulator received.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var job = (await sluice.GetAsync($"/v2/job/{jobId}"))["data"]!;
            if ((long)job["metrics"]!["lag"]! == 0) break;
        }
        await Task.Delay(2000);
        var received = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var log = (await sim.GetFromJsonAsync<JsonObject>(new Uri("sim/requests?limit=100000", UriKind.Relative)))!["requests"]!.AsArray();
        foreach (var entry in log)
        {
            if (entry!["body"] is not JsonValue body || (int)entry["status"]! is < 200 or > 299) continue;
            var at = DateTimeOffset.Parse((string)entry["received_at"]!, CultureInfo.InvariantCulture);
            if (at < began) continue;
            foreach (var o in JsonNode.Parse((string)body!)!["attributes"]!.AsArray())
            {
                var user = (string)o!["external_id"]!;
                if (!received.TryGetValue(user, out var seen) || at < seen) received[user] = at;
            }
        }
        var latencies = new List<double>(total);
        var missing = 0;
        for (var n = 0; n < total; n++)
        {
            if (acked[n] == default) continue;
            if (received.TryGetValue(Id(candidates[n]), out var at)) latencies.Add((at - acked[n]).TotalMilliseconds);
            else missing++;
        }
        latencies.Sort();
        var trips = roundTrips.Order().ToArray();
        Console.WriteLine($"  baseline: webhook round trip (post → 2xx) at {achieved:N0}/s        p50 {Pct(trips, 0.50),6:0} ms  p95 {Pct(trips, 0.95),6:0} ms  p99 {Pct(trips, 0.99),6:0} ms  ({failures} failed)");
        Console.WriteLine($"  sluice: real time, webhook 2xx → simulator receipt           p50 {Pct(latencies, 0.50),6:0} ms  p95 {Pct(latencies, 0.95),6:0} ms  p99 {Pct(latencies, 0.99),6:0} ms  max {(latencies.Count > 0 ? latencies[^1] : 0):0} ms" +
            $"  ({latencies.Count:N0} of {total:N0} changes matched, {missing} not received)");
    }

    private static double Pct(IReadOnlyList<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static long Delta(JsonObject after, JsonObject before, string name) => (long)after[name]! - (long)before[name]!;

    private static async Task<JsonObject> StatsAsync(HttpClient sim) => (await sim.GetFromJsonAsync<JsonObject>(new Uri("sim/stats", UriKind.Relative)))!;

    /// <summary>Requests of 75 objects shaped as the export's backfill sends them, <paramref name="concurrency"/> in flight.</summary>
    private static async Task<TimeSpan> RawLoopAsync(HttpClient sim, int requests, int concurrency)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int r;
            while ((r = Interlocked.Increment(ref next)) < requests)
            {
                var attributes = new JsonArray();
                for (var i = r * Objects; i < (r + 1) * Objects; i++)
                {
                    var values = new JsonArray("lytics_with_id");
                    if (i % 3 != 2) values.Add("lytics_nordic");
                    if (i % 3 == 0) values.Add("lytics_oslo");
                    attributes.Add(new JsonObject { ["external_id"] = Id(i), ["lytics_segments"] = new JsonObject { ["add"] = values } });
                }
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("users/track", UriKind.Relative))
                {
                    Content = new StringContent(new JsonObject { ["attributes"] = attributes }.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
                using var response = await sim.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"simulator answered {(int)response.StatusCode}");
            }
        })));
        return watch.Elapsed;
    }

    private static string Id(int i) => $"u{i:D7}";

    private static async Task<BrazeSimulatorServer> StartSimulatorAsync(int rateLimit, int logCapacity)
    {
        var options = new BrazeSimulatorOptions { Urls = "http://127.0.0.1:0", RateLimit = rateLimit, RateLimitWindow = LimitedWindow, RequestLogCapacity = logCapacity };
        options.Keys.Add(SimulatorApiKey.WithPermissions(ApiKey, SimulatorApiKey.UsersTrack));
        return await BrazeSimulatorServer.StartAsync(options);
    }

    /// <summary>One webhook body per profile, written as the upload is sent.</summary>
    private sealed class NdjsonProfiles : HttpContent
    {
        private readonly int _count;

        public NdjsonProfiles(int count)
        {
            _count = count;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new StringBuilder(1 << 20);
            for (var i = 0; i < _count; i++)
            {
                buffer.Append(CultureInfo.InvariantCulture, $$"""{"braze_id":"{{Id(i)}}","email":"{{Id(i)}}@example.com","city":"{{Cities[i % 3]}}"}""").Append('\n');
                if (buffer.Length > (1 << 20) - 200 || i == _count - 1)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString()));
                    buffer.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

    }

    /// <summary>The Sluice API as a user calls it, with the admin token.</summary>
    private sealed class Api(HttpClient http, string token)
    {
        public HttpClient Http => http;

        public string Token => token;

        public async Task<JsonObject> PostAsync(string path, JsonObject? body)
        {
            using var response = await http.PostAsJsonAsync(new Uri($"{path}?key={token}", UriKind.Relative), body);
            return await ReadAsync(response, path);
        }

        public async Task<JsonObject> GetAsync(string path)
        {
            using var response = await http.GetAsync(new Uri($"{path}?key={token}", UriKind.Relative));
            return await ReadAsync(response, path);
        }

        public async Task<string> AuthorizeAsync(Uri simulator, string label) =>
            (string)(await PostAsync("/api/auth", new JsonObject
            {
                ["provider"] = "braze",
                ["label"] = label,
                ["config"] = new JsonObject { ["api_key"] = ApiKey, ["rest_url"] = simulator.ToString() },
            }))["data"]!["id"]!;

        public async Task<string> CreateJobAsync(string auth, string[] audiences, bool existingUsers) =>
            (string)(await PostAsync("/v2/job/braze-export-audience", new JsonObject
            {
                ["label"] = $"Braze: {string.Join(", ", audiences)}",
                ["auth_ids"] = new JsonArray(auth),
                ["config"] = new JsonObject
                {
                    ["external_id_field"] = "braze_id",
                    ["segment_ids"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
                    ["existing_users"] = existingUsers,
                },
            }))["data"]!["id"]!;

        private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string path)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!.AsObject();
        }
    }
}
