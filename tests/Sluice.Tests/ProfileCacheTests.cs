using Sluice.Processing;

namespace Sluice.Tests;

/// <summary>
/// The profile cache during a burst of new people: what no batch read again goes first, and new profiles are written
/// sooner; profiles that batches do read again stay.
/// </summary>
public sealed class ProfileCacheTests
{
    private const long Budget = 16 * 1024 * 1024;
    private const long SmallBudget = 1024 * 1024;
    private static readonly byte[] Doc = new byte[1_000];

    [Fact]
    public void A_burst_of_new_profiles_wants_a_checkpoint_at_an_eighth_of_the_budget_and_keeps_an_eighth_after_it()
    {
        var cache = new ProfileCache();
        for (var id = 1; id <= 2_000; id++)
        {
            cache.Update(id, "acc", 0, 0, 0, Doc, isNew: true);
            if (id == 100) Assert.False(cache.WantsCheckpoint(Budget));
        }
        // Read again by a batch: no longer cold.
        Assert.True(cache.TryGet(5, out _));

        Assert.True(cache.InBurstOfNew);
        Assert.True(cache.DirtyBytes < Budget / 2);
        Assert.True(cache.WantsCheckpoint(Budget));
        cache.MarkCheckpointed(Budget);

        Assert.InRange(cache.ColdBytes, 1, Budget / 8);
        Assert.True(cache.TryGet(5, out _));
        // Oldest first: the last profiles created are the ones kept.
        Assert.False(cache.TryGet(6, out _));
        Assert.True(cache.TryGet(2_000, out _));
        Assert.Equal(0, cache.DirtyCount);
    }

    [Fact]
    public void A_burst_spread_over_many_small_checkpoints_is_still_a_burst()
    {
        var cache = new ProfileCache();
        var id = 0;
        for (var checkpoint = 0; checkpoint < 10; checkpoint++)
        {
            for (var i = 0; i < 600; i++) cache.Update(++id, "acc", 0, 0, 0, Doc, isNew: true);
            cache.MarkCheckpointed(Budget);
        }

        Assert.InRange(cache.ColdBytes, 1, Budget / 8);
        Assert.True(cache.TryGet(id, out _));
        Assert.False(cache.TryGet(1, out _));
    }

    [Fact]
    public void New_profiles_among_profiles_read_again_are_not_a_burst_and_stay_while_under_budget()
    {
        var cache = new ProfileCache();
        for (var id = 1; id <= 1_000; id++) cache.Update(id, "acc", 0, 0, 0, Doc, isNew: true);
        // One existing profile looked for per ten new ones.
        for (var id = 1; id <= 200; id++) cache.TryGet(id, out _);
        for (var id = 1_001; id <= 2_000; id++) cache.Update(id, "acc", 0, 0, 0, Doc, isNew: true);

        Assert.False(cache.InBurstOfNew);
        Assert.False(cache.WantsCheckpoint(Budget));
        cache.MarkCheckpointed(Budget);

        for (var id = 1; id <= 2_000; id++) Assert.True(cache.TryGet(id, out _));
    }

    [Fact]
    public void Past_the_budget_profiles_no_batch_read_again_are_evicted_before_those_one_did()
    {
        var cache = new ProfileCache();
        for (var id = 1; id <= 1_200; id++) cache.Update(id, "acc", 0, 0, 0, Doc, isNew: true);
        // The oldest 400 are read again, as an update of existing people would.
        for (var id = 1; id <= 400; id++) cache.TryGet(id, out _);

        Assert.False(cache.InBurstOfNew);
        cache.MarkCheckpointed(SmallBudget);

        Assert.InRange(cache.Bytes, 1, SmallBudget * 3 / 4);
        for (var id = 1; id <= 400; id++) Assert.True(cache.TryGet(id, out _));
        Assert.False(cache.TryGet(401, out _));
    }
}
