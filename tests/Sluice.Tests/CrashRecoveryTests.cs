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
        var admin = AdminToken().Match(first.Stdout).Groups[1].Value;
        var account = AccountNumber().Match(first.Stdout).Groups[1].Value;
        Assert.NotEmpty(admin);

        var acked = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = address };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var email = $"crash.{c}.{i}@email.com";
                try
                {
                    var r = await http.PostAsJsonAsync($"/c/{account}/braze_users?key={admin}", Seed.BrazeUser(email, $"bz-{c}-{i}"), stop.Token);
                    if (r.IsSuccessStatusCode) acked.Add(email);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The server died under us: this request was never acknowledged, so it may be lost. Stop this client.
                    return;
                }
                if (acked.Count >= 400) enough.TrySetResult();
            }
        })).ToArray();

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await first.KillHardAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        await first.DisposeAsync();

        var (second, address2) = await SluiceProcess.ServeAsync(_data);
        await using (second)
        {
            Assert.DoesNotContain("Admin token", second.Stdout, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = address2 };
            var missing = acked.ToHashSet(StringComparer.Ordinal);
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

    [GeneratedRegex(@"Admin token \(shown once, store it safely\): (\S+)")]
    private static partial Regex AdminToken();

    [GeneratedRegex(@"Account number: (\d+)")]
    private static partial Regex AccountNumber();
}
