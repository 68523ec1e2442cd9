using System.Net;

namespace Sluice.Tests;

/// <summary>The first-start admin token of the real server when its output is a log, not a terminal.</summary>
public sealed class FirstStartTokenTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sluice-first-").FullName;

    [Fact]
    public async Task With_output_redirected_the_admin_token_goes_to_an_owner_only_file_and_the_log_says_where()
    {
        var (server, address) = await SluiceProcess.ServeAsync(_data, "--log-format", "json");
        await using (server)
        {
            var path = Path.Combine(_data, "admin-token.txt");
            var token = SluiceProcess.AdminTokenFromFile(_data);
            await server.WaitForStdoutAsync(path, TimeSpan.FromSeconds(30));

            Assert.DoesNotContain(token, server.Stdout + server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("slc_", server.Stdout + server.Stderr, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var text = await File.ReadAllTextAsync(path);
            Assert.Contains(ServerAccountNumber(server), text, StringComparison.Ordinal);
            Assert.Contains("delete", text, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = address };
            var response = await http.GetAsync($"/api/auth?key={token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static string ServerAccountNumber(SluiceProcess server) =>
        System.Text.RegularExpressions.Regex.Match(server.Stdout, @"Account number: (\d+)").Groups[1].Value is { Length: > 0 } n
            ? n
            : throw new InvalidOperationException($"no account number in: {server.Stdout}");

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
