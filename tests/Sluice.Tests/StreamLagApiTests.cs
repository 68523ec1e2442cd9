using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary><c>GET /api/schema/_streams/{stream}/lag</c>: one stream's recorded lag from collect to profile, per minute.</summary>
public sealed class StreamLagApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task A_stream_answers_the_minutes_processing_recorded_with_their_events_longest_and_95th_percentile()
    {
        var stream = await CollectAsync(3);
        var observer = await S.TokenAsync("observer");

        var data = (await (await S.Http.GetAsync($"/api/schema/_streams/{stream}/lag?key={observer}")).AssertOkAsync())["data"]!;

        Assert.Equal(stream, (string)data["stream"]!);
        var from = Time(data["from"]);
        var to = Time(data["to"]);
        Assert.Equal(TimeSpan.FromHours(24), to - from);
        var minutes = data["minutes"]!.AsArray();
        Assert.Equal(3L, minutes.Sum(m => (long)m!["events"]!));
        Assert.All(minutes, m =>
        {
            Assert.InRange(Time(m!["minute"]), from.AddMinutes(-1), to);
            Assert.InRange((long)m["p95_ms"]!, 0, (long)m["max_ms"]!);
        });
    }

    [Fact]
    public async Task Hours_narrow_the_window_and_outside_1_to_24_are_refused()
    {
        var stream = await CollectAsync(1);
        var observer = await S.TokenAsync("observer");

        var data = (await (await S.Http.GetAsync($"/api/schema/_streams/{stream}/lag?hours=1&key={observer}")).AssertOkAsync())["data"]!;
        Assert.Equal(TimeSpan.FromHours(1), Time(data["to"]) - Time(data["from"]));
        foreach (var bad in new[] { "0", "25", "-1", "x", "1.5" })
        {
            var message = await (await S.Http.GetAsync($"/api/schema/_streams/{stream}/lag?hours={bad}&key={observer}")).AssertErrorAsync(HttpStatusCode.BadRequest);
            Assert.Contains("hours", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Another_account_cannot_read_a_streams_lag()
    {
        var stream = await CollectAsync(1);
        var (_, otherToken) = await S.OtherAccountAsync();

        var message = await (await S.Http.GetAsync($"/api/schema/_streams/{stream}/lag?key={otherToken}")).AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.Contains(stream, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_stream_is_a_404_json_error_and_a_mapped_stream_without_events_has_no_minutes()
    {
        var observer = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/api/schema/_streams/no_such_stream/lag?key={observer}")).AssertErrorAsync(HttpStatusCode.NotFound);

        // braze_segment_export has a built-in mapping; nothing is collected on it here.
        var data = (await (await S.Http.GetAsync($"/api/schema/_streams/braze_segment_export/lag?key={observer}")).AssertOkAsync())["data"]!;
        Assert.Empty(data["minutes"]!.AsArray());
    }

    [Fact]
    public async Task Without_a_token_the_lag_is_refused()
    {
        var response = await S.Http.GetAsync("/api/schema/_streams/braze_users/lag");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Collects events on a new stream of the first account and waits until processing applied them.</summary>
    private async Task<string> CollectAsync(int events)
    {
        var token = await S.TokenAsync("data_manager");
        var stream = "lag_" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < events; i++)
        {
            await (await S.Http.PostRawAsync($"/collect/json/{stream}?key={token}", $$"""{"email":"lag{{i}}@example.com"}""")).AssertOkAsync();
        }
        await S.WaitForProcessingAsync();
        return stream;
    }

    private static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);
}
