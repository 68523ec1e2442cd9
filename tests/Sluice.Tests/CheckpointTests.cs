using Dapper;
using Sluice.Processing;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// Batches apply to a partition's memory and checkpoints write it to the store. Whatever happens between
/// checkpoints (a crash, an eviction, a reload), the profiles that come out must be the ones an uninterrupted run makes.
/// </summary>
public sealed class CheckpointTests
{
    private static readonly (string Stream, long TimeMs, string Json)[] Events = [.. Enumerable.Range(0, 600).Select(i => (
        i % 3 == 0 ? "braze_users" : "braze_segment_export",
        1_700_000_000_000L + (i * 7919 % 97) * 1000,
        i % 3 == 0
            ? $$"""{"email":"p{{i % 150}}@example.com","braze_id":"b{{i % 170}}","first_name":"N{{i}}"}"""
            : $$"""{"user_id":"u{{i % 160}}","Braze ID":"b{{i % 170}}","email":"p{{(i + 7) % 150}}@example.com","random_bucket":"{{i}}"}"""))];

    [Fact]
    public async Task A_batch_that_has_not_caught_up_stays_in_memory_until_a_checkpoint()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync(Events);
        var processor = pipeline.Services.GetRequiredService<ProfileProcessor>();

        Assert.Equal(100, await processor.ProcessBatchAsync(pipeline.State, CancellationToken.None));
        var state = pipeline.State;
        Assert.True(state.Profiles.DirtyCount > 0);
        Assert.Equal(0, await StoredAsync(pipeline, "SELECT COUNT(*) FROM profiles"));
        Assert.Equal(0, await StoredAsync(pipeline, "SELECT COALESCE(MAX(position), 0) FROM processor_positions"));

        await processor.CheckpointAsync(pipeline.State, CancellationToken.None);
        Assert.Equal(0, state.Profiles.DirtyCount);
        Assert.Equal(state.Applied, await StoredAsync(pipeline, "SELECT position FROM processor_positions WHERE partition = 0"));
        Assert.True(await StoredAsync(pipeline, "SELECT COUNT(*) FROM profiles") > 0);
    }

    [Fact]
    public async Task Losing_memory_between_checkpoints_replays_to_the_same_profiles()
    {
        var uninterrupted = await RunAsync(batchSize: 1_000, cacheMegabytes: 512, crashEvery: 0);
        // Batches of 50 never catch up until the end, so nothing is checkpointed unless asked; the state is dropped
        // (as a crash would) after every third batch, with a checkpoint after every fifth.
        var crashing = await RunAsync(batchSize: 50, cacheMegabytes: 512, crashEvery: 3);
        Assert.Equal(uninterrupted, crashing);
    }

    [Fact]
    public async Task Profiles_evicted_from_a_small_cache_are_read_back_from_the_store()
    {
        // 2,000 people with long names, each seen three times far apart: megabytes of profiles through a 1 MiB cache.
        var people = Enumerable.Range(0, 2_000).ToList();
        var events = people.Select(p => ("braze_users", 1L + p, $$"""{"email":"p{{p}}@example.com","braze_id":"b{{p}}","first_name":"{{new string('x', 400)}}{{p}}"}"""))
            .Concat(people.Select(p => ("braze_segment_export", 10_000L + p, $$"""{"user_id":"u{{p}}","Braze ID":"b{{p}}","random_bucket":"{{p}}"}""")))
            .Concat(people.Select(p => ("braze_users", 20_000L + p, $$"""{"email":"p{{p}}@example.com","last_name":"L{{p}}"}""")))
            .ToList();
        var (tight, misses) = await RunAsync(events, batchSize: 50, cacheMegabytes: 1);
        var (roomy, _) = await RunAsync(events, batchSize: 1_000, cacheMegabytes: 512);
        Assert.True(misses > 1_000, $"only {misses} profiles were read back");
        Assert.Equal(roomy, tight);
    }

    private static async Task<List<string>> RunAsync(int batchSize, int cacheMegabytes, int crashEvery)
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize, cacheMegabytes: cacheMegabytes);
        await pipeline.AppendAsync(Events);
        var processor = pipeline.Services.GetRequiredService<ProfileProcessor>();
        var state = pipeline.State;
        for (var batch = 1; await processor.ProcessBatchAsync(pipeline.State, CancellationToken.None) > 0; batch++)
        {
            if (crashEvery > 0 && batch % 5 == 0) await processor.CheckpointAsync(pipeline.State, CancellationToken.None);
            if (crashEvery > 0 && batch % crashEvery == 0) state.Invalidate();
        }
        return await pipeline.CanonicalProfilesAsync();
    }

    private static async Task<(List<string> Profiles, long CacheMisses)> RunAsync(
        IEnumerable<(string Stream, long TimeMs, string Json)> events, int batchSize, int cacheMegabytes)
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize, cacheMegabytes: cacheMegabytes);
        await pipeline.AppendAsync(events);
        await pipeline.ProcessAllAsync();
        return (await pipeline.CanonicalProfilesAsync(), pipeline.State.CacheMisses);
    }

    private static async Task<long> StoredAsync(ProcessingPipeline pipeline, string sql)
    {
        await using var c = await pipeline.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>(sql);
    }
}
