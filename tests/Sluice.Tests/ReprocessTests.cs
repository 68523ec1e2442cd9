namespace Sluice.Tests;

/// <summary>Profiles are derived data: replaying the log rebuilds exactly the same ones.</summary>
public sealed class ReprocessTests
{
    [Fact]
    public async Task Replaying_the_log_from_the_start_gives_the_same_profiles()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 3);
        await pipeline.AppendAsync(Enumerable.Range(0, 40).Select(i => (
            i % 2 == 0 ? "braze_users" : "braze_segment_export",
            1_700_000_000_000L + (i * 7919 % 13) * 1000,
            i % 2 == 0
                ? $$"""{"email":"p{{i % 5}}@example.com","braze_id":"b{{i % 7}}","first_name":"N{{i}}"}"""
                : $$"""{"user_id":"u{{i % 6}}","Braze ID":"b{{i % 7}}","random_bucket":"{{i}}"}""")));
        await pipeline.ProcessAllAsync();
        var first = await pipeline.CanonicalProfilesAsync();
        Assert.NotEmpty(first);

        await pipeline.ResetAsync(fromPosition: 1);
        Assert.Empty(await pipeline.CanonicalProfilesAsync());
        await pipeline.ProcessAllAsync();
        Assert.Equal(first, await pipeline.CanonicalProfilesAsync());
    }

    [Fact]
    public async Task A_merged_profile_id_is_never_given_to_a_new_profile()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 1);
        // Profile 1 (user id), profile 2 (email), then a row linking both merges 2 into 1; the next new person
        // must not receive id 2, which still resolves to profile 1.
        await pipeline.AppendAsync([
            ("braze_segment_export", 1, """{"user_id":"u1"}"""),
            ("braze_segment_export", 2, """{"email":"a@example.com"}"""),
            ("braze_segment_export", 3, """{"user_id":"u1","email":"a@example.com"}"""),
            ("braze_segment_export", 4, """{"user_id":"u2"}"""),
        ]);
        await pipeline.ProcessAllAsync();
        var profiles = await pipeline.CanonicalProfilesAsync();
        Assert.Equal(2, profiles.Count);
        var store = pipeline.Services.GetRequiredService<Sluice.Profiles.IProfileStore>();
        var survivor = await store.LoadAsync(pipeline.Account.Id, 2, CancellationToken.None);
        Assert.Equal(1, survivor!.Id);
        Assert.True(pipeline.State.Index.TryGet(pipeline.Account.Id, "user_id", "u2", out var newcomer));
        Assert.Equal(3, newcomer.ProfileId);
    }

    [Fact]
    public async Task Replaying_from_a_later_position_ignores_the_earlier_events()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 10);
        await pipeline.AppendAsync([("braze_users", 1, """{"email":"early@example.com"}"""), ("braze_users", 2, """{"email":"late@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        Assert.Equal(2, (await pipeline.CanonicalProfilesAsync()).Count);

        await pipeline.ResetAsync(fromPosition: 2);
        await pipeline.ProcessAllAsync();
        var rebuilt = Assert.Single(await pipeline.CanonicalProfilesAsync());
        Assert.Contains("late@example.com", rebuilt, StringComparison.Ordinal);
    }
}
