using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>A value shared by too many people (a test address) stops linking once it reaches its limit.</summary>
public sealed class GuardRailTests
{
    [Fact]
    public async Task A_shared_email_stops_fusing_people_past_its_limit()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 4, maxLinks: 3);
        // Ten different Braze users all typed the same test address.
        await pipeline.AppendAsync(Enumerable.Range(0, 10).Select(i =>
            ("braze_segment_export", 1_700_000_000_000L + i, $$"""{"user_id":"u{{i}}","email":"test@test.com"}""")));
        await pipeline.ProcessAllAsync();

        var profiles = await pipeline.CanonicalProfilesAsync();
        // u0 creates the profile; u1..u3 join through the email (3 links); from then on each user id stands alone.
        Assert.Equal(7, profiles.Count);
        var uids = profiles.Select(p => JsonNode.Parse(p)!["_identities"]!.AsObject().SelectMany(kv => kv.Value!.AsArray().Select(v => (string)v!)).Order(StringComparer.Ordinal).ToList()).ToList();
        var shared = uids.Single(u => u.Contains("test@test.com"));
        Assert.Equal(["test@test.com", "u0", "u1", "u2", "u3"], shared);
        Assert.All(uids.Where(u => u != shared), u => Assert.Single(u));
    }

    [Fact]
    public async Task Without_the_limit_everyone_sharing_the_email_is_one_profile()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 4, maxLinks: 1000);
        await pipeline.AppendAsync(Enumerable.Range(0, 10).Select(i =>
            ("braze_segment_export", 1_700_000_000_000L + i, $$"""{"user_id":"u{{i}}","email":"test@test.com"}""")));
        await pipeline.ProcessAllAsync();
        Assert.Single(await pipeline.CanonicalProfilesAsync());
    }
}
