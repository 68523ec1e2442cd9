using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>The administrative commands, run as the real executable on a data folder.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sluice-cli-").FullName;

    [Fact]
    public async Task Token_create_json_on_an_empty_folder_creates_the_account_and_prints_only_json()
    {
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("token", "create", "--data", _data, "--name", "n", "--role", "admin", "--json");
        Assert.True(exit == 0, stderr);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.StartsWith("slc_", (string)json["token"]!, StringComparison.Ordinal);
        Assert.True((long)json["account_number"]! >= 1000);
        Assert.Equal(["admin"], json["roles"]!.AsArray().Select(r => (string)r!));

        // The same folder now has an account: a second token belongs to it, and listing shows both without secrets.
        var (_, second, _) = await SluiceProcess.RunAsync("token", "create", "--data", _data, "--name", "hook", "--role", "data_manager", "--expires", "90d", "--json");
        Assert.Equal((long)json["account_number"]!, (long)JsonNode.Parse(second)!["account_number"]!);
        var (_, list, _) = await SluiceProcess.RunAsync("token", "list", "--data", _data, "--json");
        var tokens = JsonNode.Parse(list)!.AsArray();
        Assert.Equal(2, tokens.Count);
        Assert.DoesNotContain((string)json["token"]!, list, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.Null(t!["token"]));
    }

    [Theory]
    [InlineData("--role", "wizard", "unknown role")]
    [InlineData("--expires", "soon", "expires")]
    public async Task Bad_token_arguments_fail_with_a_message_and_create_nothing(string option, string value, string message)
    {
        var args = new List<string> { "token", "create", "--data", _data, "--name", "n", "--json" };
        if (option != "--role") args.AddRange(["--role", "admin"]);
        args.AddRange([option, value]);
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync([.. args]);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_of_an_unknown_token_fails()
    {
        var (exit, _, stderr) = await SluiceProcess.RunAsync("token", "revoke", "nope", "--data", _data);
        Assert.NotEqual(0, exit);
        Assert.Contains("no live token", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reprocess_resets_the_folder_and_refuses_a_bad_position()
    {
        var (ok, stdout, stderr) = await SluiceProcess.RunAsync("reprocess", "--data", _data);
        Assert.True(ok == 0, stderr);
        Assert.Contains("rebuild", stdout, StringComparison.Ordinal);
        var (bad, _, badErr) = await SluiceProcess.RunAsync("reprocess", "--data", _data, "--from", "0");
        Assert.NotEqual(0, bad);
        Assert.Contains("--from", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Braze_simulator_is_part_of_the_sluice_command()
    {
        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("braze-sim", "generate", "--users", "5", "--out", "-", "--seed", "1");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Braze ID", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Length >= 6, stdout);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
