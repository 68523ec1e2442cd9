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
