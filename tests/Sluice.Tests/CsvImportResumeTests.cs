using Sluice.Import;

namespace Sluice.Tests;

/// <summary>
/// Exactly once across failures: a node stopped in the middle of a file, and a source cut in the middle of one,
/// both resume from the last committed row, with every row stored once.
/// </summary>
public sealed class CsvImportResumeTests
{
    private const int Rows = 50_000;

    [Fact]
    public async Task A_node_stopped_mid_file_resumes_after_its_restart_from_the_last_committed_row_with_an_exact_count()
    {
        await using var h = await ImportHarness.StartAsync();
        var path = Path.Combine(h.Sources.Folder("crash"), "users.csv");
        await File.WriteAllTextAsync(path, ImportHarness.PeopleCsv(Rows));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Past 60% of the file the read hangs, as on a stalled connection, until the node stops.
        h.Sources.Wrap = (_, s) => new FaultStream(s, new FileInfo(path).Length * 6 / 10, async ct =>
        {
            reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });

        var id = await h.CreateJobAsync("crash", new() { ["directory"] = "in" });
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var ledger = h.Server.Services.GetRequiredService<IImportLedger>();
        await WaitUntilAsync(async () => (await ledger.FilesAsync(id, CancellationToken.None)).SingleOrDefault()?.Rows >= CsvFileImporter.ChunkRows);

        // While it reads, the job shows where it stands in the file.
        var reading = (await h.JobAsync(id))["progress"]!;
        Assert.Equal("importing", (string)reading["state"]!);
        Assert.Equal("users.csv", (string)reading["current_file"]!["name"]!);
        Assert.Equal(new FileInfo(path).Length, (long)reading["current_file"]!["size"]!);
        Assert.InRange((long)reading["current_file"]!["bytes_read"]!, 1, new FileInfo(path).Length - 1);
        Assert.True((long)reading["rows"]! >= CsvFileImporter.ChunkRows);

        h.Sources.Wrap = null;
        await h.RestartAsync();
        var before = (await h.Server.Services.GetRequiredService<IImportLedger>().FilesAsync(id, CancellationToken.None)).Single();
        Assert.Equal(ImportFileState.Importing, before.Status);
        Assert.InRange(before.Rows, CsvFileImporter.ChunkRows, Rows - 1);

        var job = await h.WaitForAsync(id, "completed");
        Assert.Equal(Rows, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(Rows, await h.Server.StoredEventCountAsync());
        Assert.Contains(await h.LogsAsync(id), l => l == $"users.csv: resuming after row {before.Rows}");
        await h.Server.WaitForProcessingAsync();
        Assert.Equal("p0049999@example.com", (string)(await h.Server.GetProfileAsync("user_id", "u0049999", h.Server.AdminToken))["data"]!["email"]!);
    }

    [Fact]
    public async Task A_source_cut_mid_file_is_retried_on_the_polling_clock_and_resumes_with_an_exact_count()
    {
        await using var h = await ImportHarness.StartAsync(fakeClock: true);
        var path = Path.Combine(h.Sources.Folder("cut"), "users.csv.gz");
        ImportHarness.WriteGzip(path, ImportHarness.PeopleCsv(Rows));
        var opened = 0;
        h.Sources.Wrap = (_, s) => Interlocked.Increment(ref opened) == 1
            ? new FaultStream(s, new FileInfo(path).Length / 2, _ => throw new IOException("connection reset by peer"))
            : s;

        var id = await h.CreateJobAsync("cut", new() { ["directory"] = "in" });
        await WaitUntilAsync(async () => (await h.LogsAsync(id)).Any(l => l.Contains("connection reset by peer", StringComparison.Ordinal)));
        h.Clock!.Advance(TimeSpan.FromSeconds(30));

        var job = await h.WaitForAsync(id, "completed");
        Assert.Equal(Rows, ImportHarness.Metric(job, "rows_stored"));
        Assert.Equal(Rows, await h.Server.StoredEventCountAsync());
        Assert.Contains(await h.LogsAsync(id), l => l.StartsWith("users.csv.gz: resuming after row ", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition()) await Task.Delay(20, timeout.Token);
    }
}
