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
        var state = pipeline.State;
        var index = state.Index;
        var written = Canonical(index.Snapshot());
        Assert.Equal(30, written.Count);

        state.Invalidate();
        await pipeline.Services.GetRequiredService<ProfileProcessor>().StateAsync(pipeline.State, CancellationToken.None);
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
        var state = pipeline.State;
        var index = state.Index;
        Assert.True(index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out var gone));

        var (deleted, _) = await pipeline.Services.GetRequiredService<ProfileDeletion>()
            .DeleteAsync(pipeline.State, pipeline.Account.Id, gone.ProfileId, CancellationToken.None);
        Assert.True(deleted);
        state.Invalidate();
        await pipeline.ProcessAllAsync();

        Assert.False(index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out _));
        Assert.False(index.TryGet(pipeline.Account.Id, "braze_id", "b-gone", out _));
        Assert.True(index.TryGet(pipeline.Account.Id, "braze_id", "b-kept", out _));
    }

    [Fact]
    public async Task After_a_privacy_delete_the_journal_holds_none_of_the_values_and_reloads_to_the_same_index()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 2);
        // Spread over several journal rows, and sharing rows with values that stay.
        await pipeline.AppendAsync([
            ("braze_users", 1, """{"email":"gone@example.com","braze_id":"b-gone-1"}"""),
            ("braze_users", 2, """{"email":"kept@example.com","braze_id":"b-kept-2"}"""),
            ("braze_users", 3, """{"email":"gone@example.com","braze_id":"b-gone-3"}"""),
            ("braze_segment_export", 4, """{"user_id":"u-gone","email":"gone@example.com"}"""),
            ("braze_segment_export", 5, """{"user_id":"u-kept","email":"kept@example.com"}"""),
        ]);
        await pipeline.ProcessAllAsync();
        var state = pipeline.State;
        Assert.True(state.Index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out var gone));
        Assert.Contains("gone@example.com", await JournalTextAsync(pipeline), StringComparison.Ordinal);

        await pipeline.Services.GetRequiredService<ProfileDeletion>().DeleteAsync(pipeline.State, pipeline.Account.Id, gone.ProfileId, CancellationToken.None);
        var inMemory = Canonical(state.Index.Snapshot());
        state.Invalidate();
        await pipeline.Services.GetRequiredService<ProfileProcessor>().StateAsync(pipeline.State, CancellationToken.None);

        Assert.Equal(inMemory, Canonical(state.Index.Snapshot()));
        Assert.Equal(["braze_id=b-kept-2", "email=kept@example.com", "user_id=u-kept"], Values(inMemory));
        var journal = await JournalTextAsync(pipeline);
        foreach (var value in new[] { "gone@example.com", "b-gone-1", "b-gone-3", "u-gone" }) Assert.DoesNotContain(value, journal, StringComparison.Ordinal);
        Assert.Contains("kept@example.com", journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journal_with_tombstones_that_hold_values_is_rewritten_without_them_when_it_loads()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 10);
        await pipeline.AppendAsync([
            ("braze_users", 1, """{"email":"gone@example.com","braze_id":"b-gone"}"""),
            ("braze_users", 2, """{"email":"kept@example.com","braze_id":"b-kept"}"""),
        ]);
        await pipeline.ProcessAllAsync();
        var state = pipeline.State;
        // What a delete journalled before deletes erased entries: a tombstone per value, the value in it.
        var store = pipeline.Services.GetRequiredService<IProfileStore>();
        await using (var batch = await store.BeginBatchAsync(0, CancellationToken.None))
        {
            var (position, _) = await batch.PositionAsync(CancellationToken.None);
            await batch.AppendIdentityJournalAsync([
                new IdentityEntry(pipeline.Account.Id, "email", "gone@example.com", default),
                new IdentityEntry(pipeline.Account.Id, "braze_id", "b-gone", default),
            ], CancellationToken.None);
            await batch.CommitAsync(position, CancellationToken.None);
        }
        state.Invalidate();
        await pipeline.Services.GetRequiredService<ProfileProcessor>().StateAsync(pipeline.State, CancellationToken.None);

        Assert.Equal(["braze_id=b-kept", "email=kept@example.com"], Values(Canonical(state.Index.Snapshot())));
        var journal = await JournalTextAsync(pipeline);
        Assert.DoesNotContain("gone@example.com", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("b-gone", journal, StringComparison.Ordinal);
        Assert.Contains("kept@example.com", journal, StringComparison.Ordinal);
    }

    /// <summary>Every journal row's bytes as text (values are stored as UTF-8), to look for values in them.</summary>
    private static async Task<string> JournalTextAsync(ProcessingPipeline pipeline)
    {
        var db = pipeline.Services.GetRequiredService<Storage.Sqlite.SqliteDatabase>();
        await using var c = await db.OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT entries FROM identity_journal ORDER BY seq";
        var text = new System.Text.StringBuilder();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) text.Append(System.Text.Encoding.UTF8.GetString((byte[])r.GetValue(0))).Append('\n');
        return text.ToString();
    }

    private static List<string> Values(List<string> canonical) => [.. canonical.Select(e => e[..e.IndexOf("->", StringComparison.Ordinal)])];

    private static List<string> Canonical(IEnumerable<IdentityEntry> entries) =>
        [.. entries.Select(e => $"{e.Name}={e.Value}->{e.Row.ProfileId}/{e.Row.Links}").Order(StringComparer.Ordinal)];
}
