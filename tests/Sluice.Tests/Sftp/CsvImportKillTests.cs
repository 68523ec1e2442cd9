using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Sftp;

/// <summary>
/// The real <c>sluice serve</c> killed with SIGKILL while a csv-import job reads a file over SFTP, then restarted on
/// the same data folder: the job resumes from its last committed row and the file ends with every row stored once.
/// </summary>
public sealed class CsvImportKillTests : IDisposable
{
    // Large enough that the import is seen between its first committed chunk and its end even on a quiet machine.
    private const int Rows = 300_000;

    private readonly string _data = Directory.CreateTempSubdirectory("sluice-import-kill-").FullName;

    [Fact]
    public async Task After_kill_9_mid_file_and_a_restart_the_job_resumes_and_stores_every_row_exactly_once()
    {
        var sftp = SftpTestServer.Require();
        var root = $"kill-{Guid.NewGuid():N}";
        using (var client = sftp.Client())
        {
            client.CreateDirectory(root);
            client.CreateDirectory($"{root}/in");
            client.UploadFile(new MemoryStream(Encoding.UTF8.GetBytes(ImportHarness.PeopleCsv(Rows))), $"{root}/in/people.csv");
        }

        var (first, address) = await SluiceProcess.ServeAsync(_data);
        var token = SluiceProcess.AdminTokenFromFile(_data);
        string id;
        long committed;
        await using (first)
        {
            using var http = new HttpClient { BaseAddress = address };
            var auth = await (await http.PostJsonAsync($"/api/auth?key={token}", SftpAuthorizationTests.Client(sftp, password: sftp.Password))).AssertOkAsync();
            var created = await (await http.PostAsJsonAsync($"/v2/job/csv-import?key={token}", new JsonObject
            {
                ["label"] = "killed import",
                ["auth_ids"] = new JsonArray((string)auth["data"]!["id"]!),
                ["config"] = new JsonObject { ["directory"] = $"{root}/in" },
            })).AssertOkAsync();
            id = (string)created["data"]!["id"]!;

            // The signal: rows committed to the log (the ledger's count), more than none and fewer than all.
            var job = await JobEventuallyAsync(http, id, token, j => Stored(j) > 0 || (string?)j["status"] is "completed" or "failed");
            committed = Stored(job);
            Assert.True(committed is > 0 and < Rows, $"the kill must land mid-file: {job.ToJsonString()}");
            await first.KillHardAsync();
        }

        var (second, again) = await SluiceProcess.ServeAsync(_data);
        await using (second)
        {
            using var http = new HttpClient { BaseAddress = again };
            var job = await JobEventuallyAsync(http, id, token, j => (string?)j["status"] is "completed" or "failed");
            Assert.True((string?)job["status"] == "completed", job.ToJsonString());
            Assert.Equal(Rows, Stored(job));
            Assert.Equal(0, (long)job["metrics"]!["rows_refused"]!);
            Assert.Equal(1, (long)job["metrics"]!["files_imported"]!);
            Assert.Equal(0, (long)job["metrics"]!["files_duplicate"]!);

            // The log holds each row once: the streams' event counts, as the API reports them (a fresh data folder).
            var streams = (await http.GetFromJsonAsyncNode($"/api/schema/_streams?key={token}"))["data"]!.AsArray();
            Assert.Equal(Rows, streams.Sum(s => (long)s!["ct"]!));

            var logs = (await http.GetFromJsonAsyncNode($"/v2/job/{id}/logs?key={token}&limit=1000"))["data"]!.AsArray()
                .Select(l => (string)l!["message"]!).ToList();
            var resumed = Assert.Single(logs, l => l.StartsWith("people.csv: resuming after row ", StringComparison.Ordinal));
            var after = long.Parse(resumed["people.csv: resuming after row ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(after, committed, Rows - 1);
        }
    }

    private static long Stored(JsonObject job) => (long?)job["metrics"]?["rows_stored"] ?? 0;

    private static async Task<JsonObject> JobEventuallyAsync(HttpClient http, string id, string token, Func<JsonObject, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        while (true)
        {
            var job = (JsonObject)(await http.GetFromJsonAsyncNode($"/v2/job/{id}?key={token}"))["data"]!;
            if (condition(job)) return job;
            await Task.Delay(20, timeout.Token);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
