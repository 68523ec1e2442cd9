using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Import;

namespace Sluice.Tests.Infrastructure;

/// <summary>A test server whose import sources are local folders, and helpers to write files and follow import jobs.</summary>
internal sealed class ImportHarness : IAsyncDisposable
{
    private ImportHarness(TestServer server, FolderImportSources sources, FakeTimeProvider? clock)
    {
        Server = server;
        Sources = sources;
        Clock = clock;
    }

    public TestServer Server { get; private set; }

    public FolderImportSources Sources { get; }

    /// <summary>The polling clock, when the test drives it.</summary>
    public FakeTimeProvider? Clock { get; }

    public HttpClient Http => Server.Http;

    public static async Task<ImportHarness> StartAsync(bool fakeClock = false, FolderImportSources? sources = null, string? dataDir = null)
    {
        sources ??= new FolderImportSources();
        var clock = fakeClock ? new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero)) : null;
        var server = await TestServer.StartAsync(b =>
        {
            b.Services.AddSingleton<IImportSources>(sources);
            if (clock is not null) b.Services.AddSingleton(new ImportClock(clock));
        }, dataDir);
        return new ImportHarness(server, sources, clock);
    }

    /// <summary>Stops the node gracefully and starts a new one on the same data folder and sources.</summary>
    public async Task RestartAsync()
    {
        await Server.StopAsync();
        var dataDir = Server.DataDir;
        Server = await TestServer.StartAsync(b => b.Services.AddSingleton<IImportSources>(Sources), dataDir);
    }

    public string Url(string path) => $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}key={Server.AdminToken}";

    public async Task<string> CreateJobAsync(string authId, JsonObject config)
    {
        var response = await Http.PostAsJsonAsync(Url("/v2/job/csv-import"), new JsonObject
        {
            ["label"] = "import " + authId,
            ["auth_ids"] = new JsonArray(authId),
            ["config"] = config,
        });
        var body = await response.AssertOkAsync();
        return (string)body["data"]!["id"]!;
    }

    public async Task<JsonObject> JobAsync(string id) => (JsonObject)(await Http.GetFromJsonAsyncNode(Url($"/v2/job/{id}")))["data"]!;

    /// <summary>Polls the job API until the job is in <paramref name="status"/> (and <paramref name="until"/> holds), failing after a minute.</summary>
    public async Task<JsonObject> WaitForAsync(string id, string status, Func<JsonObject, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var job = await JobAsync(id);
            if ((string?)job["status"] == status && (until?.Invoke(job) ?? true)) return job;
            if ((string?)job["status"] == "failed" && status != "failed") Assert.Fail($"job failed: {job["status_message"] ?? job.ToJsonString()}");
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"job {id} never reached {status}: {job.ToJsonString()}");
            }
        }
    }

    public async Task<List<string>> LogsAsync(string id) =>
        [.. (await Http.GetFromJsonAsyncNode(Url($"/v2/job/{id}/logs?limit=1000")))["data"]!.AsArray().Select(l => (string)l!["message"]!)];

    public static long Metric(JsonObject job, string name) => (long)job["metrics"]![name]!;

    /// <summary>A CSV of <paramref name="rows"/> people (user_id u0000000..., email, name, city with quoted commas and non-ASCII).</summary>
    public static string PeopleCsv(int rows, int offset = 0)
    {
        var text = new StringBuilder("user_id,email,first_name,last_name,city\n");
        string[] cities = ["\"Washington, D.C.\"", "São Paulo", "Zürich", "\"Portland, OR\""];
        string[] names = ["Zoë", "Müller", "José", "Anna"];
        for (var i = offset; i < offset + rows; i++)
        {
            var id = i.ToString("D7", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"u{id},p{id}@example.com,{names[i % 4]},{names[(i + 1) % 4]},{cities[i % 4]}\n");
        }
        return text.ToString();
    }

    public static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }

    public static void WriteZip(string path, params (string Name, string Text)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Sources.Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
