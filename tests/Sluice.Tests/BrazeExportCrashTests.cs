using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sluice.Tests;

/// <summary>
/// The real server killed with SIGKILL in the middle of a Braze backfill while live webhooks move users between
/// audiences, then restarted on the same data folder: once everything has caught up, every Braze user holds exactly
/// its membership (no user missing, no stale value).
/// </summary>
public sealed partial class BrazeExportCrashTests : IDisposable
{
    private const int Users = 4000;
    private static readonly string[] Cities = ["Oslo", "Rome", "Paris"];

    private readonly string _data = Directory.CreateTempSubdirectory("sluice-export-crash-").FullName;

    [Fact]
    public async Task After_kill_9_during_a_backfill_with_live_changes_and_a_restart_every_Braze_user_holds_exactly_its_membership()
    {
        // A small budget (15 requests a second) stretches the backfill over several seconds, so the kill lands inside it.
        await using var sim = await BrazeSim.StartAsync(o => (o.RateLimit, o.RateLimitWindow) = (15, TimeSpan.FromSeconds(1)));
        var (first, address) = await SluiceProcess.ServeAsync(_data);
        var token = SluiceProcess.AdminTokenFromFile(_data);
        var account = long.Parse(AccountNumber().Match(first.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = address };
        var x = new ExportHarness(http, token, account, sim);

        await x.CreateAudienceAsync("oslo", "FILTER city = \"Oslo\"");
        var city = Enumerable.Range(0, Users).ToDictionary(i => $"k-{i}", i => Cities[i % 3]);
        await x.PostBulkAsync(city.Select(c => (c.Key, c.Value)));
        await EventuallyAsync(async () => (long)(await http.GetFromJsonAsyncNode($"/api/segment/all?key={token}"))["data"]!["size"]! == Users,
            "the uploaded profiles were not all built");
        await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: true, ["all", "oslo"]);

        // Live changes during the backfill; a webhook whose answer was lost to the kill is posted again after the restart.
        var uncertain = new HashSet<string>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var live = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i = (i + 37) % Users)
            {
                var id = $"k-{i}";
                var next = city[id] == "Oslo" ? "Rome" : "Oslo";
                try
                {
                    await x.PostWebhookAsync(id, next);
                    city[id] = next;
                }
                catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException or TaskCanceledException)
                {
                    uncertain.Add(id);
                    city[id] = next;
                    return;
                }
            }
        });
        var job = await x.JobEventuallyAsync(
            j => j["progress"]?["backfill"] is { } b && (long)b["done"]! > 0 && !(bool)b["complete"]!,
            "the backfill did not start");
        Assert.True((long)job["progress"]!["backfill"]!["done"]! < Users, job.ToJsonString());

        await first.KillHardAsync();
        await stop.CancelAsync();
        await live;
        await first.DisposeAsync();

        var (second, again) = await SluiceProcess.ServeAsync(_data);
        await using (second)
        {
            using var http2 = new HttpClient { BaseAddress = again };
            var y = new ExportHarness(http2, token, account, sim) { JobId = x.JobId };
            foreach (var id in uncertain) await y.PostWebhookAsync(id, city[id]);
            for (var i = 11; i < Users; i += 41)
            {
                var id = $"k-{i}";
                city[id] = city[id] == "Oslo" ? "Rome" : "Oslo";
                await y.PostWebhookAsync(id, city[id]);
            }

            await y.EveryUserEventuallyHoldsAsync(
                city.ToDictionary(c => c.Key, c => c.Value == "Oslo" ? new[] { "lytics_all", "lytics_oslo" } : ["lytics_all"]), TimeSpan.FromSeconds(40));
            var done = await y.CaughtUpAsync();
            Assert.Equal(Users, (long)done["progress"]!["backfill"]!["total"]!);
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + ExportHarness.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [GeneratedRegex(@"Account number: (\d+)")]
    private static partial Regex AccountNumber();
}
