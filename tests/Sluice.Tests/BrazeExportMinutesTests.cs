using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sluice.Tests;

/// <summary>
/// An export job's per-minute counters (objects sent, failed, retried; 429 answers) are stored, and both the job API's
/// metrics and the console's job chart read them: 429s that were retried and delivered are counted too, not only rows
/// that failed with one.
/// </summary>
public sealed partial class BrazeExportMinutesTests
{
    [Fact]
    public async Task Retries_and_429s_of_a_backfill_under_a_429_storm_show_in_the_API_metrics_and_as_marks_on_the_job_chart()
    {
        // Every third request or so is answered 429 with a short Retry-After; the job retries each until it is taken.
        await using var sim = await BrazeSim.StartAsync(o => o.Faults = new() { RateLimitedFraction = 0.3, Seed = 7 });
        await using var server = await TestServer.StartAsync(b =>
        {
            b.Configuration["Sluice:Braze:RetryBaseDelay"] = "00:00:00.020";
            b.Configuration["Sluice:Braze:RetryMaxDelay"] = "00:00:00.200";
        });
        var x = new ExportHarness(server.Http, await server.TokenAsync("admin"), server.AccountNumber, sim);
        var users = Enumerable.Range(0, 120).Select(i => ($"m-{i}", "Oslo")).ToList();
        await x.PostBulkAsync(users);
        await server.WaitForProcessingAsync();

        // Batches of 5: 24 requests, so the seeded 429s surely hit some of them.
        await x.CreateJobAsync(await x.AuthorizeAsync(), existingUsers: true, ["all"], new JsonObject { ["batch_size"] = 5 });
        await x.CaughtUpAsync(TimeSpan.FromSeconds(60));
        var job = await x.JobEventuallyAsync(j => (long)j["metrics"]!["last_24_hours"]!["objects_sent"]! == users.Count,
            "the stored counters did not reach every user sent");

        var metrics = job["metrics"]!;
        var day = metrics["last_24_hours"]!;
        var injected = (long)(await sim.StatsAsync())["injected_rate_limited"]!;
        Assert.True(injected > 0, "the simulator answered no 429");
        // The stored counters agree with what this activation counted in memory; every 429 the job met was injected.
        Assert.Equal((long)metrics["rate_limited"]!, (long)day["rate_limited"]!);
        Assert.InRange((long)day["rate_limited"]!, 1, injected);
        Assert.Equal(0, (long)day["failed_rows"]!);
        Assert.True((long)day["retried_rows"]! >= 5, day.ToJsonString());
        Assert.True((long)day["minutes_rate_limited"]! >= 1, day.ToJsonString());

        using var console = await ConsoleClient.SignInAsync(server.BaseAddress, server.AdminToken);
        var html = await console.PageAsync($"/jobs/{x.JobId}");
        // Each minute with 429s is a mark on the chart, named in its tooltip and in the chart's table.
        var marks = MarkTitle().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(marks);
        Assert.Equal((long)day["rate_limited"]!, marks.Sum());
        Assert.Contains($"{users.Count} users sent, 0 failed and {(long)day["retried_rows"]!} retried", html, StringComparison.Ordinal);
        Assert.Contains($"Braze answered 429 (rate limited) {(long)day["rate_limited"]!} times", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<title>(\d+) answers 429 \(rate limited\)</title>")]
    private static partial Regex MarkTitle();
}
