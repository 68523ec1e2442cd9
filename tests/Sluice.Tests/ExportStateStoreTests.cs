using Sluice.Export;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// The export state store saves a step's told states and row log lines as whole sets: what is read back is what was
/// saved, character for character, and per-minute counters saved with several steps add up.
/// </summary>
public sealed class ExportStateStoreTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-30T01:02:03.456Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Told_states_and_rows_with_quotes_accents_emoji_and_nulls_read_back_unchanged_and_minute_counters_add_up()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var store = new SqliteExportStateStore(pipeline.Services.GetRequiredService<SqliteDatabase>());
        const string job = "store-job";
        string[] odd = ["lytics_a", "say \"hi\"\\ <now>", "ünïcödé", "😀 face"];
        var checkpoint = new ExportCheckpoint(7, "backfill", 3, 3, 10);
        var minute = At.AddSeconds(-At.Second).AddMilliseconds(-At.Millisecond);

        await store.SaveAsync(job, checkpoint,
            [KeyValuePair.Create(1L, (ToldState?)new ToldState("user-😀", odd)), KeyValuePair.Create(2L, (ToldState?)new ToldState("plain", ["lytics_b"])),
             KeyValuePair.Create(3L, (ToldState?)new ToldState("gone", []))],
            [new ExportRow(At, "user-😀", odd, [], "sent", null, 1), new ExportRow(At, "plain", [], ["lytics_b"], "failed", "Braze: \"bad\" 😀", 3)],
            CancellationToken.None, minutes: [new ExportMinute(minute, 2, 1, 1, 4)]);
        await store.SaveAsync(job, checkpoint with { FeedSeq = 8 }, [KeyValuePair.Create(3L, (ToldState?)null)], [], CancellationToken.None,
            minutes: [new ExportMinute(minute, 5, 0, 2, 1)]);

        var told = await store.ToldAsync(job, [1, 2, 3], CancellationToken.None);
        Assert.Equal(["lytics_b"], told[2].Values);
        Assert.Equal("user-😀", told[1].Identifier);
        Assert.Equal(odd, told[1].Values);
        Assert.False(told.ContainsKey(3));
        Assert.Equal(checkpoint with { FeedSeq = 8 }, await store.LoadAsync(job, CancellationToken.None));

        var rows = await store.RowsAsync(job, null, null, 10, CancellationToken.None);
        Assert.Equal(2, rows.Count);
        var failed = Assert.Single(rows, r => r.Status == "failed");
        Assert.Equal(("plain", "Braze: \"bad\" 😀", 3, At), (failed.User, failed.Error, failed.Attempts, failed.At));
        Assert.Equal(["lytics_b"], failed.Removed);
        var sent = Assert.Single(await store.RowsAsync(job, "sent", "user-😀", 10, CancellationToken.None));
        Assert.Equal(odd, sent.Added);
        Assert.Null(sent.Error);

        var counted = Assert.Single(await store.MinutesAsync(job, minute, CancellationToken.None));
        Assert.Equal(new ExportMinute(minute, 7, 1, 3, 5), counted);
        await store.PruneMinutesAsync(minute.AddMinutes(1), CancellationToken.None);
        Assert.Empty(await store.MinutesAsync(job, minute.AddHours(-1), CancellationToken.None));
    }
}
