using Sluice.Audiences;
using Sluice.Processing;

namespace Sluice.Tests;

/// <summary>
/// Processing keeps each profile's audiences and writes every enter and exit to its partition's ordered feed, in the
/// checkpoint that writes the profile: new profiles, changed fields, merges, and replays after a crash.
/// </summary>
public sealed class AudienceMembershipTests
{
    private static (string, long, string) Webhook(string json) => ("braze_users", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), json);

    private static async Task<IReadOnlyList<MembershipChange>> FeedAsync(ProcessingPipeline pipeline) =>
        await pipeline.Services.GetRequiredService<IAudienceStore>().ReadFeedAsync(0, 0, 10_000, CancellationToken.None);

    private static async Task<Dictionary<string, string>> SlugsAsync(ProcessingPipeline pipeline) =>
        (await pipeline.Services.GetRequiredService<IAudienceStore>().ListAsync(pipeline.Account.Id, CancellationToken.None)).ToDictionary(a => a.Id, a => a.Slug);

    private static async Task<List<string>> ChangesAsync(ProcessingPipeline pipeline)
    {
        var slugs = await SlugsAsync(pipeline);
        return [.. (await FeedAsync(pipeline)).Select(c => c.AudienceId.Length == 0
            ? $"{c.ProfileId} touched"
            : $"{c.ProfileId} {(c.Entered ? "+" : "-")}{slugs.GetValueOrDefault(c.AudienceId, c.AudienceId)}")];
    }

    [Fact]
    public async Task A_new_profile_enters_the_default_audiences_it_matches()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"a@example.com"}"""), Webhook("""{"braze_id":"b2"}""")]);

        await pipeline.ProcessAllAsync();

        Assert.Equal(["1 +all", "1 +known", "1 +new", "2 +all", "2 +anonymous", "2 +new"], (await ChangesAsync(pipeline)).Order());
    }

    [Fact]
    public async Task A_changed_field_moves_a_profile_between_audiences_and_an_unchanged_one_writes_nothing()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1"}""")]);
        await pipeline.ProcessAllAsync();
        var before = (await FeedAsync(pipeline)).Count;

        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","first_name":"Ann"}""")]);
        await pipeline.ProcessAllAsync();
        Assert.Equal(before, (await FeedAsync(pipeline)).Count);

        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"ann@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        // The email is a new identity value, so the entry also touches the profile for exports.
        Assert.Equal(["1 +known", "1 -anonymous", "1 touched"], (await ChangesAsync(pipeline)).Skip(before).Order());
    }

    [Fact]
    public async Task A_new_identity_value_touches_the_profile_in_the_feed_even_when_its_membership_stays()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"a@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        var before = (await FeedAsync(pipeline)).Count;

        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","first_name":"Ann"}""")]);
        await pipeline.ProcessAllAsync();
        Assert.Equal(before, (await FeedAsync(pipeline)).Count);

        await pipeline.AppendAsync([Webhook("""{"braze_id":"b2","email":"a@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        Assert.Equal(["1 touched"], (await ChangesAsync(pipeline)).Skip(before));
    }

    [Fact]
    public async Task A_merge_exits_the_loser_from_its_audiences_and_evaluates_the_survivor()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1"}""")]);
        await pipeline.ProcessAllAsync();
        await pipeline.AppendAsync([("braze_segment_export", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), """{"user_id":"u2","Braze ID":"x2"}""")]);
        await pipeline.ProcessAllAsync();
        var before = (await FeedAsync(pipeline)).Count;

        // One event carries both profiles' ids: profile 2 (younger) merges into profile 1.
        await pipeline.AppendAsync([("braze_segment_export", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), """{"user_id":"u2","Braze ID":"b1"}""")]);
        await pipeline.ProcessAllAsync();

        // The survivor's membership changed, and its identity values too (it is "touched" for exports).
        Assert.Equal(["1 +known", "1 -anonymous", "1 touched", "2 -all", "2 -known", "2 -new"], (await ChangesAsync(pipeline)).Skip(before).Order());
        var members = await pipeline.Services.GetRequiredService<IAudienceStore>().MembersAsync(
            pipeline.Account.Id, (await SlugsAsync(pipeline)).Single(kv => kv.Value == "all").Key, 0, 10, CancellationToken.None);
        Assert.Equal([1L], members);
    }

    [Fact]
    public async Task A_replay_after_losing_memory_gives_the_same_feed_without_duplicates()
    {
        (string, long, string)[] events = [.. Enumerable.Range(0, 300).Select(i => i % 3 == 0
            ? Webhook($$"""{"braze_id":"b{{i % 40}}","email":"p{{i % 25}}@example.com"}""")
            : Webhook($$"""{"braze_id":"b{{i % 40}}","first_name":"N{{i}}"}"""))];

        await using var uninterrupted = await ProcessingPipeline.CreateAsync(batchSize: 1_000);
        await uninterrupted.AppendAsync(events);
        await uninterrupted.ProcessAllAsync();

        await using var crashing = await ProcessingPipeline.CreateAsync(batchSize: 20);
        await crashing.AppendAsync(events);
        var processor = crashing.Services.GetRequiredService<ProfileProcessor>();
        for (var batch = 1; await processor.ProcessBatchAsync(crashing.State, CancellationToken.None) > 0; batch++)
        {
            if (batch % 4 == 0) await processor.CheckpointAsync(crashing.State, CancellationToken.None);
            if (batch % 3 == 0) crashing.State.Invalidate();
        }
        await processor.CheckpointAsync(crashing.State, CancellationToken.None);

        var feed = await FeedAsync(crashing);
        Assert.Equal(feed.Count, feed.Select(c => (c.Seq, c.AudienceId)).Distinct().Count());
        // The net membership per profile and audience is what an uninterrupted run ends with.
        Assert.Equal(await NetAsync(uninterrupted), await NetAsync(crashing));
    }

    [Fact]
    public async Task A_privacy_delete_exits_every_audience_and_empties_its_member_lists()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"gone@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        var before = (await FeedAsync(pipeline)).Count;

        var (deleted, _) = await pipeline.Services.GetRequiredService<Sluice.Profiles.ProfileDeletion>().DeleteAsync(pipeline.State, pipeline.Account.Id, 1, CancellationToken.None);

        Assert.True(deleted);
        Assert.Equal(["1 -all", "1 -known", "1 -new"], (await ChangesAsync(pipeline)).Skip(before).Order());
        var store = pipeline.Services.GetRequiredService<IAudienceStore>();
        foreach (var audience in await store.ListAsync(pipeline.Account.Id, CancellationToken.None))
        {
            Assert.Equal(0, await store.SizeAsync(pipeline.Account.Id, audience.Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task An_audience_created_over_existing_profiles_is_evaluated_over_them_page_by_page()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([.. Enumerable.Range(0, 25).Select(i => Webhook($$"""{"braze_id":"b{{i}}","city":"{{(i % 2 == 0 ? "Oslo" : "Rome")}}"}"""))]);
        await pipeline.ProcessAllAsync();
        var store = pipeline.Services.GetRequiredService<IAudienceStore>();
        var now = DateTimeOffset.UtcNow;
        var oslo = new Audience(AudienceIds.New(), pipeline.Account.Id, "oslo", "Oslo", null, "FILTER city = \"Oslo\"", false, now, now);
        Assert.True(await store.CreateAsync(oslo, CancellationToken.None));
        pipeline.Services.GetRequiredService<AudienceRegistry>().Invalidate(pipeline.Account.Id);

        var processor = pipeline.Services.GetRequiredService<ProfileProcessor>();
        long? after = 0;
        var pages = 0;
        while (after is { } from)
        {
            after = await processor.ReevaluateAsync(pipeline.State, pipeline.Account.Id, from, 10, CancellationToken.None);
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(13, await store.SizeAsync(pipeline.Account.Id, oslo.Id, CancellationToken.None));
        Assert.Equal(13, (await ChangesAsync(pipeline)).Count(c => c.EndsWith(" +oslo", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_profile_leaves_new_seven_days_after_it_was_created_with_no_event_and_no_rescan()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100, time: clock);
        var created = clock.GetUtcNow();
        await pipeline.AppendAsync([("braze_users", created.ToUnixTimeMilliseconds(), """{"braze_id":"b1"}""")]);
        await pipeline.ProcessAllAsync();
        var processor = pipeline.Services.GetRequiredService<ProfileProcessor>();
        Assert.Contains("1 +new", await ChangesAsync(pipeline));

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await processor.FireDueTimersAsync(pipeline.State, CancellationToken.None));
        Assert.DoesNotContain("1 -new", await ChangesAsync(pipeline));

        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, await processor.FireDueTimersAsync(pipeline.State, CancellationToken.None));
        var exit = (await FeedAsync(pipeline)).Last();
        Assert.False(exit.Entered);
        Assert.Equal("new", (await SlugsAsync(pipeline))[exit.AudienceId]);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), exit.AtMs);
    }

    [Fact]
    public async Task A_scheduled_exit_survives_a_restart_of_the_partition()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100, time: clock);
        await pipeline.AppendAsync([("braze_users", clock.GetUtcNow().ToUnixTimeMilliseconds(), """{"braze_id":"b1"}""")]);
        await pipeline.ProcessAllAsync();

        // Memory is lost, as when the partition moves or the process restarts; the schedule is in the store.
        pipeline.State.Invalidate();
        clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal(1, await pipeline.Services.GetRequiredService<ProfileProcessor>().FireDueTimersAsync(pipeline.State, CancellationToken.None));
        Assert.Contains("1 -new", await ChangesAsync(pipeline));
    }

    private static async Task<List<string>> NetAsync(ProcessingPipeline pipeline)
    {
        var net = new Dictionary<string, int>();
        foreach (var change in (await ChangesAsync(pipeline)).Where(c => !c.EndsWith(" touched", StringComparison.Ordinal)))
        {
            var (key, sign) = (change[..change.IndexOf(' ', StringComparison.Ordinal)] + change[(change.IndexOf(' ', StringComparison.Ordinal) + 2)..], change.Contains(" +", StringComparison.Ordinal) ? 1 : -1);
            net[key] = net.GetValueOrDefault(key) + sign;
        }
        Assert.All(net.Values, v => Assert.InRange(v, 0, 1));
        return [.. net.Where(kv => kv.Value == 1).Select(kv => kv.Key).Order()];
    }
}
