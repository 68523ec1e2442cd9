using System.Net;
using System.Text;
using Dapper;
using Sluice.EventLog;
using Sluice.Processing;
using Sluice.Processing.DeadLetters;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// No event stalls its partition: one that throws while it is mapped or applied is set aside (durably, once), the
/// events after it are processed, and set-aside events can be listed and replayed.
/// </summary>
public sealed class DeadLetterTests
{
    // Valid JSON whose string does not decode: what the log could hold from before collect refused it, or from damage.
    private const string Poison = """{"braze_id":"poisoned","first_name":"\uD800"}""";

    private static (string, long, string) Event(string json) => ("braze_users", 1_700_000_000_000L, json);

    private static async Task<bool> KnownAsync(ProcessingPipeline pipeline, string brazeId)
    {
        var state = await pipeline.Services.GetRequiredService<ProfileProcessor>().StateAsync(pipeline.State, CancellationToken.None);
        return state.Index.TryGet(pipeline.Account.Id, "braze_id", brazeId, out _);
    }

    [Fact]
    public async Task A_poisoned_event_is_set_aside_and_the_next_event_of_its_partition_is_processed()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Event("""{"braze_id":"before"}"""), Event(Poison), Event("""{"braze_id":"after"}""")]);

        await pipeline.ProcessAllAsync();

        Assert.True(await KnownAsync(pipeline, "before"));
        Assert.True(await KnownAsync(pipeline, "after"));
        Assert.False(await KnownAsync(pipeline, "poisoned"));
        var letter = Assert.Single(await pipeline.Services.GetRequiredService<IDeadLetterStore>().ListAsync(pipeline.Account.Id, 0, 10, CancellationToken.None));
        Assert.Equal(("braze_users", "map"), (letter.Stream, letter.Stage));
        Assert.StartsWith("InvalidOperationException", letter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_from_the_last_checkpoint_skips_the_set_aside_event_and_records_it_once()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Event(Poison)]);
        await pipeline.ProcessAllAsync();
        await pipeline.AppendAsync([Event("""{"braze_id":"later"}""")]);

        // As after a crash: memory is lost and the partition replays everything from position 0.
        pipeline.State.Invalidate();
        await pipeline.ResetAsync(0);
        await pipeline.ProcessAllAsync();

        Assert.True(await KnownAsync(pipeline, "later"));
        Assert.Single(await pipeline.Services.GetRequiredService<IDeadLetterStore>().ListAsync(pipeline.Account.Id, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_damaged_stored_profile_sets_aside_only_the_event_that_touches_it()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Event("""{"braze_id":"damaged"}""")]);
        await pipeline.ProcessAllAsync();
        var db = pipeline.Services.GetRequiredService<SqliteDatabase>();
        await using (var c = await db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1, await c.ExecuteAsync("UPDATE profiles SET doc = x'07ffffffff0102'"));
        }
        // The profile is read from the store again, as after a restart.
        pipeline.State.Invalidate();
        await pipeline.AppendAsync([Event("""{"braze_id":"first"}"""), Event("""{"braze_id":"damaged","city":"Oslo"}"""), Event("""{"braze_id":"last"}""")]);

        await pipeline.ProcessAllAsync();

        Assert.True(await KnownAsync(pipeline, "first"));
        Assert.True(await KnownAsync(pipeline, "last"));
        var letter = Assert.Single(await pipeline.Services.GetRequiredService<IDeadLetterStore>().ListAsync(pipeline.Account.Id, 0, 10, CancellationToken.None));
        Assert.Equal("apply", letter.Stage);
        var head = await pipeline.Services.GetRequiredService<IEventLog>().HeadAsync(0, CancellationToken.None);
        Assert.Equal(head - 1, letter.Seq);
    }

    [Fact]
    public async Task Set_aside_events_are_listed_over_http_and_replayed_once_the_mapping_takes_them()
    {
        await using var s = await TestServer.StartAsync();
        var token = await s.TokenAsync("data_manager");
        await (await s.Http.PostRawAsync($"/api/query?key={token}",
            "SELECT user_id AS user_id, name AS name FROM app INTO user BY user_id", "text/plain")).AssertOkAsync();
        var partition = s.Services.GetRequiredService<Partitioner>().For(s.Account.Id);
        await s.Services.GetRequiredService<EventLogWriter>().AppendAsync(
            [new NewEvent(s.Account.Id, partition, "app", 1_700_000_000_000, 1_700_000_000_000, Encoding.UTF8.GetBytes("""{"user_id":"u-poisoned","name":"\uDC00"}"""))],
            CancellationToken.None);
        await (await s.Http.PostRawAsync($"/c/{s.AccountNumber}/app?key={token}", """{"user_id":"u-fine","name":"Ann"}""")).AssertOkAsync();
        await s.WaitForProcessingAsync();

        var listed = await (await s.Http.GetAsync($"/api/stream/_deadletter?key={token}")).AssertOkAsync();
        Assert.Equal(1, (long)listed["data"]!["total"]!);
        Assert.Equal("app", (string)listed["data"]!["events"]![0]!["stream"]!);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync($"/api/entity/user/user_id/u-fine?key={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Http.GetAsync($"/api/entity/user/user_id/u-poisoned?key={token}")).StatusCode);

        await (await s.Http.PostRawAsync($"/api/query?key={token}", "SELECT user_id AS user_id FROM app INTO user BY user_id", "text/plain")).AssertOkAsync();
        var replayed = await (await s.Http.PostRawAsync($"/api/stream/_deadletter/_replay?key={token}", "")).AssertOkAsync();
        Assert.Equal(1, (long)replayed["data"]!["replayed"]!);
        await s.WaitForProcessingAsync();

        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync($"/api/entity/user/user_id/u-poisoned?key={token}")).StatusCode);
        Assert.Equal(0, (long)(await (await s.Http.GetAsync($"/api/stream/_deadletter?key={token}")).AssertOkAsync())["data"]!["total"]!);
    }

    [Fact]
    public async Task Readiness_names_a_partition_that_keeps_failing()
    {
        await using var s = await TestServer.StartAsync();
        var health = s.Services.GetRequiredService<PartitionHealth>();
        // A partition no grain drains, so that a real (successful) drain cannot clear the record during the test.
        const int partition = 4000;
        for (var i = 0; i < 3; i++) health.Failed(partition, new IOException("disk"));

        var response = await s.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("partition 4000 failed 3 times in a row (IOException)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        health.Succeeded(partition);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/readyz")).StatusCode);
    }
}
