using Microsoft.AspNetCore.Http;
using Sluice.Hosting;

namespace Sluice.Tests;

/// <summary>Request logs name the route, not the path, and keep query parameter names without their values.</summary>
public sealed class RequestLogTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task An_entity_lookup_is_logged_with_its_route_template_and_without_the_value()
    {
        var token = await S.TokenAsync("data_manager");
        var email = Seed.UniqueEmail("logged");
        await S.Http.GetAsync($"/api/entity/user/email/{email}?key={token}&fields=email");
        await S.Http.GetAsync($"/c/{S.AccountNumber}/pixel?key={token}&email={email}&dryrun=true");

        Assert.Contains(S.Logs.Lines, l => l.Contains("HTTP GET /api/entity/user/{field}/{value}?key=REDACTED&fields=email responded 404", StringComparison.Ordinal));
        Assert.Contains(S.Logs.Lines, l => l.Contains("HTTP GET /c/{aid}/{stream}?key=REDACTED&email=REDACTED&dryrun=true responded 200", StringComparison.Ordinal));
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(email, StringComparison.OrdinalIgnoreCase) || l.Contains(Uri.EscapeDataString(email), StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?", "")]
    [InlineData("?key=slc_1&access_token=slc_2", "?key=REDACTED&access_token=REDACTED")]
    [InlineData("?email=a%40b.com&first_name=Jo&&flag", "?email=REDACTED&first_name=REDACTED&flag")]
    [InlineData("?dryrun=true&DropErrors=1&timestamp_field=ts&fields=a,b", "?dryrun=true&DropErrors=1&timestamp_field=ts&fields=a,b")]
    [InlineData("?%64ryrun=secret", "?%64ryrun=REDACTED")]
    public void A_query_string_keeps_its_names_and_only_the_values_of_Sluice_options(string query, string logged) =>
        Assert.Equal(logged, Redaction.Query(new QueryString(query.Length == 0 ? null : query)));

    [Theory]
    [InlineData(200, 5, "Debug")]
    [InlineData(204, 999, "Debug")]
    [InlineData(200, 1000, "Information")]
    [InlineData(400, 1, "Information")]
    [InlineData(401, 1, "Information")]
    [InlineData(500, 1, "Information")]
    public void Quick_successes_log_at_debug_and_errors_or_slow_requests_at_information(int status, int elapsedMs, string level) =>
        Assert.Equal(Enum.Parse<LogLevel>(level), RequestLoggingMiddleware.LevelOf(status, TimeSpan.FromMilliseconds(elapsedMs)));
}
