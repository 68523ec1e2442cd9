using Sluice.Processing;

namespace Sluice.Tests;

/// <summary>A partition's schedule of time-relative re-evaluations: one live instant per profile, whatever was scheduled before.</summary>
public sealed class AudienceTimersTests
{
    [Fact]
    public void A_profile_rescheduled_many_times_comes_due_once_at_its_last_instant()
    {
        var timers = new AudienceTimers();
        for (var i = 1; i <= 10_000; i++) timers.Schedule(7, "a", 1_000_000 + i);
        timers.Schedule(8, "a", 500);

        Assert.Equal(500, timers.NextDueMs);
        Assert.Equal([(8L, "a")], timers.TakeDue(1_000_000));
        Assert.Empty(timers.TakeDue(1_009_999));
        Assert.Equal([(7L, "a")], timers.TakeDue(1_010_000));
        Assert.Null(timers.NextDueMs);
    }

    [Fact]
    public void Unscheduling_drops_the_instant_and_queues_its_removal_for_the_checkpoint()
    {
        var timers = new AudienceTimers();
        timers.Schedule(1, "a", 100);
        timers.Pending.Clear();

        timers.Schedule(1, "a", null);

        Assert.Null(timers.NextDueMs);
        Assert.Equal(("a", (long?)null), timers.Pending[1]);
        Assert.Empty(timers.TakeDue(1_000));
    }

    [Fact]
    public void An_instant_that_moves_later_by_less_than_the_slack_is_not_rewritten_but_an_earlier_one_is()
    {
        var timers = new AudienceTimers();
        timers.Schedule(1, "a", 1_000_000);
        timers.Pending.Clear();

        timers.Schedule(1, "a", 1_000_000 + AudienceTimers.StoredSlack - 1);
        Assert.Empty(timers.Pending);
        // Here the exact instant holds: the profile does not come due at the stored, earlier one.
        Assert.Empty(timers.TakeDue(1_000_000 + AudienceTimers.StoredSlack - 2));

        timers.Schedule(1, "a", 1_000_000 + AudienceTimers.StoredSlack);
        Assert.Equal(("a", (long?)(1_000_000 + AudienceTimers.StoredSlack)), timers.Pending[1]);
        timers.Pending.Clear();

        timers.Schedule(1, "a", 999_999);
        Assert.Equal(("a", (long?)999_999), timers.Pending[1]);
    }
}
