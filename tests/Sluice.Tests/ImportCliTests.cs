namespace Sluice.Tests;

/// <summary><c>sluice import csv</c>, run as the real executable on a data folder.</summary>
public sealed class ImportCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sluice-import-cli-").FullName;

    [Fact]
    public async Task Import_csv_stores_every_good_row_prints_a_summary_and_lists_the_refused_ones()
    {
        var file = Path.Combine(_dir, "people.csv");
        await File.WriteAllTextAsync(file, ImportHarness.PeopleCsv(2_000) + "u9,x@example.com,Zoë\n");
        var data = Path.Combine(_dir, "data");

        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("import", "csv", file, "--data", data, "--stream", "people", "--delimiter", ",");

        Assert.True(exit == 0, stderr);
        Assert.Contains("people.csv: 2000 rows stored, 1 refused, in ", stdout, StringComparison.Ordinal);
        Assert.Contains("(stream people)", stdout, StringComparison.Ordinal);
        Assert.Contains("refused: people.csv line 2002: 3 fields, but the header has 5 columns", stderr, StringComparison.Ordinal);
        await using var store = await Cli.AdminContext.OpenAsync(data, CancellationToken.None);
        var (account, _) = await store.ResolveAccountAsync(null, CancellationToken.None);
        Assert.Equal(2_000, await store.Services.GetRequiredService<EventLog.IEventLog>().CountAsync(account!.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Import_csv_beside_a_running_server_builds_profiles_there()
    {
        await using var server = await TestServer.StartAsync();
        var file = Path.Combine(_dir, "live.csv");
        await File.WriteAllTextAsync(file, "user_id,email,city\nlive-1,live1@example.com,São Paulo\n");

        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("import", "csv", file, "--data", server.DataDir);

        Assert.True(exit == 0, stderr);
        Assert.Contains("live.csv: 1 rows stored, 0 refused", stdout, StringComparison.Ordinal);
        // The server's processing finds rows another process appended at its next sweep.
        await server.WaitForProcessingAsync();
        var profile = await server.GetProfileAsync("user_id", "live-1", server.AdminToken);
        Assert.Equal("São Paulo", (string)profile["data"]!["city"]!);
    }

    [Theory]
    [InlineData("missing.csv", null, "no file")]
    [InlineData("ok.csv", "ab", "--delimiter \"ab\" is not usable")]
    [InlineData("empty.csv", null, "could not be read to its end")]
    public async Task Bad_input_fails_with_a_clear_message_and_no_stack_trace(string name, string? delimiter, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "ok.csv"), "user_id\nu1\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "empty.csv"), "");
        string[] args = ["import", "csv", Path.Combine(_dir, name), "--data", Path.Combine(_dir, "data")];
        if (delimiter is not null) args = [.. args, "--delimiter", delimiter];

        var (exit, _, stderr) = await SluiceProcess.RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
