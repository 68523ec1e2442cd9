using Microsoft.Extensions.Time.Testing;
using Sluice.EventLog;
using Sluice.Processing;
using Sluice.Processing.Lag;

namespace Sluice.Tests;

/// <summary>
/// The lag from collect to profile per stream and minute: counted by the processor as it applies events, written with
/// its checkpoints, read back for the console's chart, and pruned after a day.
/// </summary>
public sealed class StreamLagTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-02T12:00:10Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_minute_counts_every_event_with_its_longest_lag_and_95th_percentile_across_checkpoints()
    {
        var clock = new FakeTimeProvider(Start);
        var recorder = new StreamLagRecorder();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        // 100 events received 1 ms to 100 ms before they are applied.
        recorder.Record([.. Enumerable.Range(1, 100).Select(i => Event("web", now - i))], clock.GetUtcNow());
        var first = Assert.Single(recorder.Unwritten());
        Assert.Equal((Minute(Start), 100L, 100L), (first.MinuteMs, first.Events, first.MaxMs));
        AssertNear(95, first.P95Ms);
        recorder.Committed(clock.GetUtcNow());
        Assert.Empty(recorder.Unwritten());

        // Later in the same minute, 20 slow events: the row carries these 20 and the percentile of all 120.
        clock.Advance(TimeSpan.FromSeconds(30));
        now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        recorder.Record([.. Enumerable.Range(0, 20).Select(_ => Event("web", now - 5_000))], clock.GetUtcNow());
        var second = Assert.Single(recorder.Unwritten());
        Assert.Equal((Minute(Start), 20L, 5_000L), (second.MinuteMs, second.Events, second.MaxMs));
        AssertNear(5_000, second.P95Ms);
        recorder.Committed(clock.GetUtcNow());

        // The next minute is a row of its own, per stream.
        clock.Advance(TimeSpan.FromSeconds(30));
        now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        recorder.Record([Event("web", now - 7), Event("app", now - 3)], clock.GetUtcNow());
        var next = recorder.Unwritten().OrderBy(r => r.Stream, StringComparer.Ordinal).ToList();
        Assert.Equal(["app", "web"], next.Select(r => r.Stream));
        Assert.All(next, r => Assert.Equal((Minute(Start) + 60_000, 1L), (r.MinuteMs, r.Events)));
        Assert.Equal([3L, 7L], next.Select(r => r.P95Ms));
    }

    [Fact]
    public void Lags_of_a_batch_that_is_discarded_before_its_checkpoint_are_not_written()
    {
        var clock = new FakeTimeProvider(Start);
        var recorder = new StreamLagRecorder();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        recorder.Record([Event("web", now - 10)], clock.GetUtcNow());

        recorder.Discard();
        recorder.Record([Event("web", now - 40)], clock.GetUtcNow());

        var row = Assert.Single(recorder.Unwritten());
        Assert.Equal((1L, 40L), (row.Events, row.MaxMs));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1_000)]
    [InlineData(123_456)]
    [InlineData(90_000_000)]
    public void A_percentile_is_within_an_eighth_of_the_value(long lagMs)
    {
        var histogram = new LagHistogram();
        histogram.Add(lagMs);
        histogram.Add(lagMs * 2 + 1);

        // The top of the value's bucket: never below the value, at most 1/8 above it.
        var p50 = histogram.Percentile(0.5);
        Assert.InRange(p50, lagMs, lagMs + lagMs / 8);
        Assert.Equal(lagMs * 2 + 1, histogram.Percentile(1));
    }

    [Fact]
    public async Task Processing_stores_the_lag_of_each_minute_and_prunes_minutes_older_than_a_day()
    {
        var clock = new FakeTimeProvider(Start);
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 1_000, time: clock);
        var store = pipeline.Services.GetRequiredService<IStreamLagStore>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // Received 0.1 s to 2 s ago; processed now.
        await pipeline.AppendAsync(Enumerable.Range(1, 20).Select(i => ("braze_users", now - i * 100, $$"""{"email":"p{{i}}@example.com"}""")));
        await pipeline.ProcessAllAsync();

        var stored = Assert.Single(await store.MinutesAsync(pipeline.Account.Id, "braze_users", Start.AddHours(-1), CancellationToken.None));
        Assert.Equal((Minute(Start), 20L, 2_000L), (stored.MinuteMs, stored.Events, stored.MaxMs));
        AssertNear(1_900, stored.P95Ms);

        clock.Advance(TimeSpan.FromHours(26));
        now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await pipeline.AppendAsync([("braze_users", now - 50, """{"email":"late@example.com"}""")]);
        await pipeline.ProcessAllAsync();

        // The day-old minute is gone; the new one holds the one event.
        var after = Assert.Single(await store.MinutesAsync(pipeline.Account.Id, "braze_users", Start.AddHours(-1), CancellationToken.None));
        Assert.Equal((Minute(clock.GetUtcNow()), 1L, 50L), (after.MinuteMs, after.Events, after.MaxMs));
    }

    private static LoggedEvent Event(string stream, long receivedAtMs) => new(1, "acct", 0, stream, receivedAtMs, receivedAtMs, []);

    private static long Minute(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 60_000 * 60_000;

    /// <summary>A percentile read from the histogram: the top of the true value's bucket, at most an eighth above it.</summary>
    private static void AssertNear(long expected, long actual) => Assert.InRange(actual, expected, expected + expected / 8);
}
