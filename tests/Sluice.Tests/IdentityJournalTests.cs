using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Tests;

/// <summary>
/// The identity index lives in memory and is persisted as a journal: an index rebuilt from the journal (a restart,
/// a failed batch, the partition moving to another node) must resolve exactly like the one that wrote it.
/// </summary>
public sealed class IdentityJournalTests
{
    [Fact]
    public async Task An_index_reloaded_from_the_journal_holds_the_same_entries_and_keeps_resolving()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 4);
        // Ten people, each arriving by email first and by user id with the same email later; some merge.
        await pipeline.AppendAsync(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            ("braze_users", 1_000L + i, $$"""{"email":"p{{i}}@example.com","braze_id":"b{{i}}"}"""),
            ("braze_segment_export", 2_000L + i, $$"""{"user_id":"u{{i}}"}"""),
        }));
        await pipeline.ProcessAllAsync();
        var state = pipeline.Services.GetRequiredService<PartitionStates>().For(0);
        var index = state.Index;
        var written = Canonical(index.Snapshot());
        Assert.Equal(30, written.Count);

        state.Invalidate();
        await pipeline.Services.GetRequiredService<ProfileProcessor>().StateAsync(0, CancellationToken.None);
        Assert.Equal(written, Canonical(index.Snapshot()));

        state.Invalidate();
        // A row linking user id and email merges the two profiles of each person, which needs both old entries.
        await pipeline.AppendAsync(Enumerable.Range(0, 10).Select(i =>
            ("braze_segment_export", 3_000L + i, $$"""{"user_id":"u{{i}}","email":"p{{i}}@example.com"}""")));
        await pipeline.ProcessAllAsync();

        Assert.Equal(10, (await pipeline.CanonicalProfilesAsync()).Count);
        state.Invalidate();
        await pipeline.ProcessAllAsync();
        Assert.Equal(30, index.Count);
        Assert.Equal(10, index.Snapshot().Select(e => e.Row.ProfileId).Distinct().Count());
    }

    [Fact]
    public async Task A_privacy_delete_stays_deleted_after_the_index_reloads()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 10);
        await pipeline.AppendAsync([
            ("braze_users", 1, """{"email":"gone@example.com","braze_id":"b-gone"}"""),
            ("braze_users", 2, """{"email":"kept@example.com","braze_id":"b-kept"}"""),
        ]);
        await pipeline.ProcessAllAsync();
        var state = pipeline.Services.GetRequiredService<PartitionStates>().For(0);
        var index = state.Index;
        Assert.True(index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out var gone));

        var (deleted, _) = await pipeline.Services.GetRequiredService<ProfileDeletion>()
            .DeleteAsync(0, pipeline.Account.Id, gone.ProfileId, CancellationToken.None);
        Assert.True(deleted);
        state.Invalidate();
        await pipeline.ProcessAllAsync();

        Assert.False(index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out _));
        Assert.False(index.TryGet(pipeline.Account.Id, "braze_id", "b-gone", out _));
        Assert.True(index.TryGet(pipeline.Account.Id, "braze_id", "b-kept", out _));
    }

    private static List<string> Canonical(IEnumerable<IdentityEntry> entries) =>
        [.. entries.Select(e => $"{e.Name}={e.Value}->{e.Row.ProfileId}/{e.Row.Links}").Order(StringComparer.Ordinal)];
}
