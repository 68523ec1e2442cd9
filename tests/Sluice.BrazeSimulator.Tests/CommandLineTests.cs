using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.BrazeSimulator.Tests;

public sealed partial class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = new SynchronizedWriter();
        var error = new SynchronizedWriter();
        var exit = await BrazeSimCommand.Create().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--rate-limit", "lots")]
    [InlineData("--array-cap", "101")]
    [InlineData("--faults", "429=2")]
    [InlineData("--key", ":users.track")]
    [InlineData("--object-limit", "some")]
    [InlineData("--urls", "http://0.0.0.0:9090")]
    [InlineData("--urls", "not a url")]
    public async Task Bad_options_exit_non_zero_with_a_message_on_stderr(string option, string value)
    {
        var (exit, _, error) = await InvokeAsync([option, value], SimFixture.Ct);
        Assert.NotEqual(0, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Braze_sim_serves_with_the_configured_keys_and_rate_limit_until_cancelled()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(SimFixture.Ct);
        var output = new SynchronizedWriter();
        var run = BrazeSimCommand.Create()
            .Parse(["--urls", "http://127.0.0.1:0", "--key", "k1", "--key", "ro:segments.list", "--rate-limit", "2/1h"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        Match match;
        while (!(match = UrlPattern().Match(output.ToString())).Success)
        {
            Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, "braze-sim did not report its URL: " + output);
            await Task.Delay(10, SimFixture.Ct);
        }

        using var client = new HttpClient { BaseAddress = new Uri(match.Value + "/") };
        async Task<HttpStatusCode> TrackAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "users/track")
            {
                Content = new StringContent("{\"attributes\":[{\"external_id\":\"cli\"}]}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await client.SendAsync(request, SimFixture.Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await TrackAsync("k1"));
        Assert.Equal(HttpStatusCode.Forbidden, await TrackAsync("ro"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TrackAsync("sim-key"));
        Assert.Equal(HttpStatusCode.Created, await TrackAsync("k1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TrackAsync("k1"));

        await stop.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Generate_writes_a_realistic_valid_export_and_the_same_seed_gives_the_same_file()
    {
        var directory = Directory.CreateTempSubdirectory("braze-sim-generate");
        try
        {
            var first = Path.Combine(directory.FullName, "a.csv");
            var second = Path.Combine(directory.FullName, "b.csv");
            Assert.Equal(0, (await InvokeAsync(["generate", "--users", "5000", "--out", first, "--seed", "9"], SimFixture.Ct)).Exit);
            Assert.Equal(0, (await InvokeAsync(["generate", "--users", "5000", "--out", second, "--seed", "9"], SimFixture.Ct)).Exit);
            Assert.Equal(await File.ReadAllBytesAsync(first, SimFixture.Ct), await File.ReadAllBytesAsync(second, SimFixture.Ct));

            var text = await File.ReadAllTextAsync(first, SimFixture.Ct);
            var rows = CsvReading.Parse(text);
            Assert.Equal(5001, rows.Count);
            Assert.Equal("Braze ID", rows[0][0]);
            Assert.Equal("user_id", rows[0][1]);
            Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
            var data = rows.Skip(1).ToList();
            Assert.Contains(data, r => r[7].Contains(',', StringComparison.Ordinal));
            Assert.Contains(data, r => r[3].Any(c => c > 127));
            Assert.Contains(data, r => r[2].Length == 0);
            Assert.Contains("\"Smith, Jr.\"", text, StringComparison.Ordinal);

            // Odd rows, as documented on the generator: about 2% of them.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var odd = data.Count(r =>
                r[1].Length == 0 || !seen.Add(r[1]) || r[3].Contains('\n', StringComparison.Ordinal)
                || r[2] != r[2].Trim() || r[4].Length == 255 || (r[3].Length > 0 && r[3].Trim().Length == 0));
            Assert.InRange(odd, 50, 160);

            var (exit, _, error) = await InvokeAsync(["generate", "--users", "10", "--out", Path.Combine(directory.FullName, "missing", "x.csv")], SimFixture.Ct);
            Assert.NotEqual(0, exit);
            Assert.Contains("cannot write", error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex UrlPattern();

    /// <summary>A writer the command writes to from its own task while the test reads it.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public SynchronizedWriter()
            : base(System.Globalization.CultureInfo.InvariantCulture)
        {
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }
    }
}
