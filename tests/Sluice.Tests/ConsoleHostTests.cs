using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sluice.Hosting;

namespace Sluice.Tests;

/// <summary>
/// The console shares the API's port and its authentication model: what each side answers when it is not signed
/// in, and the first-run fixes a new user meets (the README's token example, the watchdog's startup false alarm).
/// </summary>
public sealed class ConsoleHostTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task The_README_token_example_without_a_content_type_creates_the_token()
    {
        // curl -d labels the body application/x-www-form-urlencoded.
        var response = await S.Http.PostRawAsync($"/api/auth/createtoken?key={S.AdminToken}",
            """{"name":"braze-webhook","roles":["data_manager"],"expires":"90d"}""", "application/x-www-form-urlencoded");

        var created = await response.AssertOkAsync();
        Assert.StartsWith("slc_", (string)created["data"]!["token"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_console_page_without_a_session_leads_to_sign_in_and_an_API_path_answers_401_JSON()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = S.BaseAddress };

        var page = await http.GetAsync("/profiles");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await (await http.GetAsync("/api/segment")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_access_token_in_the_query_does_not_open_console_pages()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = S.BaseAddress };

        var page = await http.GetAsync($"/profiles?key={S.AdminToken}");

        // The console signs in only through its own form and cookie; a token in a URL ends in browser history.
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Unknown_console_paths_are_an_HTML_404_and_unknown_API_paths_the_JSON_envelope()
    {
        var page = await S.Http.GetAsync("/no-such-screen");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        await (await S.Http.GetAsync("/api/no-such-route")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync("/v2/no-such-route")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public void The_watchdog_filter_drops_a_stall_longer_than_the_process_has_lived_and_keeps_a_real_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:10:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var sink = new LogSink();
        var logger = new WatchdogStartupRace(sink.CreateLogger("Orleans.Runtime.Watchdog"), clock, clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        const string format = "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.";

        Log(logger, format, TimeSpan.FromHours(2.8));
        Log(logger, format, TimeSpan.FromMinutes(3));

        var line = Assert.Single(sink.Lines);
        Assert.Contains("00:03:00", line, StringComparison.Ordinal);
    }

    private static void Log(ILogger logger, string format, TimeSpan stall)
    {
        var state = new List<KeyValuePair<string, object?>> { new("TimeSinceLastTick", stall), new("{OriginalFormat}", format) };
        logger.Log(LogLevel.Warning, default, state, null, (s, _) => format.Replace("{TimeSinceLastTick}", stall.ToString(), StringComparison.Ordinal));
    }
}
