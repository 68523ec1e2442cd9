using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice job watch ID</c>: polls <c>GET /v2/job/{id}</c> of a running server and shows the backfill (done of
/// total, rate, time left) as a progress bar. It ends when the backfill is complete, when the job has none, or when
/// the job stops (paused, failed, completed), and says which.
/// </summary>
internal static class JobWatch
{
    public static Command Command()
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var url = new Option<string>("--url")
        {
            Description = "The server's address",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLUICE_URL") ?? "http://127.0.0.1:5080",
        };
        var token = new Option<string?>("--token") { Description = "An access token with the data_manager role (default: $SLUICE_TOKEN)" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 1 };
        var cmd = new Command("watch", "Follow a job's backfill with a progress bar until it is done or the job stops") { id, url, token, interval };
        cmd.SetAction(async (r, ct) =>
        {
            var secret = r.GetValue(token) ?? Environment.GetEnvironmentVariable("SLUICE_TOKEN");
            if (string.IsNullOrWhiteSpace(secret)) return CliErrors.Fail("--token (or SLUICE_TOKEN) is required");
            if (!Uri.TryCreate(r.GetValue(url), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                return CliErrors.Fail($"--url \"{r.GetValue(url)}\" is not an http(s) address");
            }
            var seconds = r.GetValue(interval);
            if (seconds is < 0.05 or > 3600) return CliErrors.Fail("--interval must be between 0.05 and 3600 seconds");
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret.Trim());
            return await WatchAsync(http, r.GetValue(id)!, TimeSpan.FromSeconds(seconds), ct);
        });
        return cmd;
    }

    private static async Task<int> WatchAsync(HttpClient http, string id, TimeSpan interval, CancellationToken ct)
    {
        var (job, error) = await PollAsync(http, id, ct);
        if (job is null) return CliErrors.Fail(error!);
        string? outcome = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask(Markup.Escape(Label(job)), maxValue: 1);
                while (true)
                {
                    var backfill = job["progress"]?["backfill"] as JsonObject;
                    if (backfill is not null) Show(bar, job, backfill);
                    outcome = Outcome(job, backfill);
                    if (outcome is not null) break;
                    await Task.Delay(interval, ct);
                    (job, error) = await PollAsync(http, id, ct);
                    if (job is null)
                    {
                        outcome = error;
                        break;
                    }
                }
                bar.StopTask();
            });
        if (job is null) return CliErrors.Fail(outcome!);
        Console.Out.WriteLine(outcome);
        return 0;
    }

    private static string Label(JsonObject job) => $"{(string?)job["label"]} ({(string?)job["status"]})";

    private static void Show(ProgressTask bar, JsonObject job, JsonObject backfill)
    {
        var done = (long?)backfill["done"] ?? 0;
        var total = (long?)backfill["total"] ?? 0;
        var rate = (double?)backfill["rate_per_second"] ?? 0;
        var eta = (double?)backfill["eta_seconds"];
        bar.MaxValue = Math.Max(1, total);
        bar.Value = Math.Min(done, bar.MaxValue);
        var left = eta is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString("c", CultureInfo.InvariantCulture) : "?";
        bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{Label(job)} {done:N0}/{total:N0} users, {rate:N0}/s, ETA {left}"));
    }

    /// <summary>Why watching ends now, or null to keep polling.</summary>
    private static string? Outcome(JsonObject job, JsonObject? backfill)
    {
        var status = (string?)job["status"];
        if (status is not ("running" or "sleeping"))
        {
            var message = (string?)job["status_message"];
            return $"job {job["id"]} is {status}{(string.IsNullOrEmpty(message) ? "" : $": {message}")}";
        }
        if (job["progress"] is null) return null;
        if (backfill is null) return $"job {job["id"]} has no backfill (existing users is off); it is {status}";
        if ((bool?)backfill["complete"] == true)
        {
            return string.Create(CultureInfo.InvariantCulture, $"backfill done: {(long?)backfill["done"]:N0} of {(long?)backfill["total"]:N0} users; job {job["id"]} is {status}");
        }
        return null;
    }

    /// <summary>The job, or a message saying why it could not be read.</summary>
    private static async Task<(JsonObject? Job, string? Error)> PollAsync(HttpClient http, string id, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync($"/v2/job/{Uri.EscapeDataString(id)}", ct);
        }
        catch (HttpRequestException e)
        {
            return (null, $"cannot reach {http.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"{http.BaseAddress} did not answer in time");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonObject? body = null;
            try
            {
                body = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                // Not Sluice's envelope: reported by status below.
            }
            if (response.IsSuccessStatusCode && body?["data"] is JsonObject job) return (job, null);
            var message = (string?)body?["message"] ?? response.ReasonPhrase;
            return (null, $"{(int)response.StatusCode}: {message}");
        }
    }
}
