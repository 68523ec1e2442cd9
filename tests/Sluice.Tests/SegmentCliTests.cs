using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary><c>sluice segment test|list</c>, run as the real executable.</summary>
public sealed class SegmentCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sluice-cli-").FullName;

    [Fact]
    public async Task Segment_test_prints_whether_the_entity_matches_and_exits_zero()
    {
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("segment", "test", "FILTER city = \"Oslo\"", "--entity", "{\"city\":\"Oslo\"}", "--data", _data);
        Assert.True(exit == 0, stderr);
        Assert.Equal("true", stdout.Trim());

        (exit, stdout, stderr) = await SluiceProcess.RunAsync("segment", "test", "FILTER AND (INCLUDE known, city = \"Oslo\")", "--entity", "{\"city\":\"Oslo\"}", "--data", _data);
        Assert.True(exit == 0, stderr);
        Assert.Equal("false", stdout.Trim());
    }

    [Fact]
    public async Task Segment_test_with_now_is_reproducible_and_prints_only_json_with_json()
    {
        string[] args = ["segment", "test", "FILTER _created > \"now-7d\"", "--entity", "{\"_created\":\"2026-01-01T00:00:00Z\"}", "--data", _data, "--json", "--now"];
        var (exit, inside, stderr) = await SluiceProcess.RunAsync([.. args, "2026-01-07T12:00:00Z"]);
        Assert.True(exit == 0, stderr);
        Assert.True((bool)JsonNode.Parse(inside)!["matches"]!);
        var (_, outside, _) = await SluiceProcess.RunAsync([.. args, "2026-01-09T00:00:00Z"]);
        Assert.False((bool)JsonNode.Parse(outside)!["matches"]!);
    }

    [Theory]
    [InlineData("FILTER city ==", "{}", null, "line 1")]
    [InlineData("FILTER nosuch(city) = \"x\"", "{}", null, "nosuch")]
    [InlineData("FILTER *", "{\"city\": ", null, "--entity")]
    [InlineData("FILTER *", "[1]", null, "JSON object")]
    [InlineData("FILTER *", "{}", "soon", "--now")]
    public async Task Segment_test_fails_with_a_message_for_a_bad_statement_entity_or_instant(string statement, string entity, string? now, string message)
    {
        List<string> args = ["segment", "test", statement, "--entity", entity, "--data", _data];
        if (now is not null) args.AddRange(["--now", now]);
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync([.. args]);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segment_list_shows_the_folders_audiences_with_their_sizes()
    {
        await using var server = await TestServer.StartAsync();
        var token = await server.TokenAsync("admin");
        var since = DateTimeOffset.UtcNow;
        await (await server.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "Oslo", ["segment_ql"] = "FILTER city = \"Oslo\"" })).AssertOkAsync();
        await server.WaitForAudienceEvaluationAsync(since);
        var user = Seed.BrazeUser(Seed.UniqueEmail(), "b1");
        user["city"] = "Oslo";
        await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/braze_users?key={token}", user)).AssertOkAsync();
        await server.WaitForProcessingAsync();
        await server.StopAsync();

        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("segment", "list", "--data", server.DataDir, "--json");
        Assert.True(exit == 0, stderr);
        var list = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(1, (long)list.Single(s => (string)s!["slug_name"]! == "oslo")!["size"]!);
        Assert.Equal(1, (long)list.Single(s => (string)s!["slug_name"]! == "known")!["size"]!);
        Assert.Equal(0, (long)list.Single(s => (string)s!["slug_name"]! == "anonymous")!["size"]!);

        var (tableExit, table, _) = await SluiceProcess.RunAsync("segment", "list", "--data", server.DataDir);
        Assert.Equal(0, tableExit);
        Assert.Contains("oslo", table, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
