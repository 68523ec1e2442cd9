using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sluice.Tests;

/// <summary>A 2xx from collect means durable: kill -9 the real server mid-stream and find every acknowledged event.</summary>
public sealed partial class CrashRecoveryTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sluice-crash-").FullName;

    [Fact]
    public async Task Every_acknowledged_event_survives_kill_9_and_reaches_its_profile()
    {
        var (first, address) = await SluiceProcess.ServeAsync(_data);
        var (admin, account) = Credentials(first, _data);
        var acked = await LoadUntilAsync(address, admin, account, async () => await first.KillHardAsync());
        await first.DisposeAsync();
        await VerifyAfterRestartAsync(admin, acked);
    }

    [Fact]
    public async Task Sigterm_drains_in_flight_requests_and_exits_cleanly()
    {
        var (first, address) = await SluiceProcess.ServeAsync(_data);
        var (admin, account) = Credentials(first, _data);
        var exitCode = -1;
        var acked = await LoadUntilAsync(address, admin, account, async () => exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {first.Stderr}");
        Assert.DoesNotContain("Unhandled exception", first.Stderr + first.Stdout, StringComparison.Ordinal);
        await first.DisposeAsync();
        await VerifyAfterRestartAsync(admin, acked);
    }

    private static (string Admin, string Account) Credentials(SluiceProcess p, string dataDir)
    {
        var admin = SluiceProcess.AdminTokenFromFile(dataDir);
        var account = AccountNumber().Match(p.Stdout).Groups[1].Value;
        Assert.NotEmpty(admin);
        Assert.NotEmpty(account);
        return (admin, account);
    }

    /// <summary>Four clients post webhook bodies until 400 are acknowledged, then <paramref name="stop"/> runs mid-stream.</summary>
    private static async Task<HashSet<string>> LoadUntilAsync(Uri address, string admin, string account, Func<Task> stop)
    {
        var acked = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var done = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = address };
            for (var i = 0; !done.IsCancellationRequested; i++)
            {
                var email = $"crash.{c}.{i}@email.com";
                try
                {
                    var r = await http.PostAsJsonAsync($"/c/{account}/braze_users?key={admin}", Seed.BrazeUser(email, $"bz-{c}-{i}"), done.Token);
                    if (r.IsSuccessStatusCode) acked.Add(email);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The server went away under us: this request was never acknowledged, so it may be lost.
                    return;
                }
                if (acked.Count >= 400) enough.TrySetResult();
            }
        })).ToArray();

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await stop();
        await done.CancelAsync();
        await Task.WhenAll(clients);
        return acked.ToHashSet(StringComparer.Ordinal);
    }

    private async Task VerifyAfterRestartAsync(string admin, HashSet<string> acked)
    {
        var (second, address) = await SluiceProcess.ServeAsync(_data);
        await using (second)
        {
            Assert.DoesNotContain(admin, second.Stdout + second.Stderr, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = address };
            var missing = new HashSet<string>(acked, StringComparer.Ordinal);
            // Processing resumes from the last committed position after restart: poll until it has caught up.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (missing.Count > 0 && DateTime.UtcNow < deadline)
            {
                foreach (var email in missing.ToList())
                {
                    var r = await http.GetAsync($"/api/entity/user/email/{email}?key={admin}");
                    if (!r.IsSuccessStatusCode) break;
                    var profile = (await r.Content.ReadFromJsonAsync<JsonObject>())!["data"]!;
                    Assert.Equal(email, (string)profile["email"]!);
                    missing.Remove(email);
                }
            }
            Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged events are missing, e.g. {missing.FirstOrDefault()}");
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [GeneratedRegex(@"Account number: (\d+)")]
    private static partial Regex AccountNumber();
}
