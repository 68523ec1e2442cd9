using Sluice.Query.FilterQl.Functions;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// One place in a filter where the passing of time alone can change a result: a comparison of a value with date
/// math, BETWEEN with date-math bounds, or timewindow(). Given an entity and "now", a probe offers the next instant
/// its own result can change. Probes ignore the logic around them (an OR may hide the change), so the instants are
/// the ones at which the filter could flip, never later than one at which it does.
/// </summary>
internal abstract class FlipProbe
{
    public abstract void Offer(IFilterEntity entity, DateTimeOffset now, ref DateTimeOffset? next);

    protected static void Consider(DateTimeOffset? candidate, DateTimeOffset now, ref DateTimeOffset? next)
    {
        if (candidate is { } c && c > now && (next is null || c < next))
        {
            next = c;
        }
    }

    /// <summary>
    /// Comparisons are to the whole second, so a comparison of a time ct with date math rt(now) can only change when
    /// rt reaches the start of ct's second (for &gt;, &lt;=, and the start of equality) or the start of the next
    /// second (for &gt;=, &lt;, and the end of equality). rt never decreases, so a threshold it has reached stays
    /// reached.
    /// </summary>
    protected static void OfferThreshold(DateMath math, DateTimeOffset threshold, DateTimeOffset now, ref DateTimeOffset? next)
    {
        if (math.Evaluate(now) < threshold)
        {
            Consider(math.EarliestAtLeast(threshold, now), now, ref next);
        }
    }

    /// <summary>
    /// Offers <paramref name="offer"/> each time the value holds (<see cref="Builtins.Times"/>), with no iterator for the
    /// common single value: probes run for every profile a batch changes.
    /// </summary>
    protected static void ForEachTime<TState>(Value v, TState state, DateTimeOffset now, ref DateTimeOffset? next, TimeOffer<TState> offer)
    {
        if (v.Kind is ValueKind.StringList or ValueKind.TimeMap)
        {
            foreach (var t in Builtins.Times(v))
            {
                offer(state, t, now, ref next);
            }
        }
        else if (Comparisons.ToDate(v) is { } single)
        {
            offer(state, single, now, ref next);
        }
    }

    protected delegate void TimeOffer<TState>(TState state, DateTimeOffset time, DateTimeOffset now, ref DateTimeOffset? next);

    protected static DateTimeOffset SecondStart(DateTimeOffset t) =>
        new(Comparisons.Seconds(t) * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    protected static DateTimeOffset NextSecond(DateTimeOffset t) =>
        t.UtcTicks / TimeSpan.TicksPerSecond >= DateTimeOffset.MaxValue.UtcTicks / TimeSpan.TicksPerSecond
            ? DateTimeOffset.MaxValue
            : SecondStart(t).AddSeconds(1);
}

/// <summary><c>value op date-math</c>, with the value on the left (the compiler mirrors the other order).</summary>
internal sealed class ComparisonProbe(Producer value, CompareOp op, DateMath math) : FlipProbe
{
    private static readonly TimeOffer<ComparisonProbe> OfferOne = static (ComparisonProbe probe, DateTimeOffset ct, DateTimeOffset now, ref DateTimeOffset? next) => probe.OfferTime(ct, now, ref next);

    public override void Offer(IFilterEntity entity, DateTimeOffset now, ref DateTimeOffset? next) =>
        ForEachTime(value(entity, now), this, now, ref next, OfferOne);

    private void OfferTime(DateTimeOffset ct, DateTimeOffset now, ref DateTimeOffset? next)
    {
        if (op is CompareOp.Greater or CompareOp.LessOrEqual or CompareOp.Equal or CompareOp.NotEqual)
        {
            OfferThreshold(math, SecondStart(ct), now, ref next);
        }

        if (op is CompareOp.GreaterOrEqual or CompareOp.Less or CompareOp.Equal or CompareOp.NotEqual)
        {
            OfferThreshold(math, NextSecond(ct), now, ref next);
        }
    }
}

/// <summary><c>value BETWEEN lower AND upper</c> where either bound is date math (bounds are exclusive).</summary>
internal sealed class BetweenProbe(Producer value, DateMath? lower, DateMath? upper) : FlipProbe
{
    private static readonly TimeOffer<BetweenProbe> OfferOne = static (BetweenProbe probe, DateTimeOffset ct, DateTimeOffset now, ref DateTimeOffset? next) => probe.OfferTime(ct, now, ref next);

    public override void Offer(IFilterEntity entity, DateTimeOffset now, ref DateTimeOffset? next) =>
        ForEachTime(value(entity, now), this, now, ref next, OfferOne);

    private void OfferTime(DateTimeOffset ct, DateTimeOffset now, ref DateTimeOffset? next)
    {
        // Inside while lower < ct and upper > ct (to the second): the lower bound leaves at ct's second, the
        // upper bound arrives one second after it.
        if (lower is not null)
        {
            OfferThreshold(lower, SecondStart(ct), now, ref next);
        }

        if (upper is not null)
        {
            OfferThreshold(upper, NextSecond(ct), now, ref next);
        }
    }
}

/// <summary><c>timewindow(field, n, days)</c>: each time enters the window when it is reached and leaves it days later.</summary>
internal sealed class TimeWindowProbe(Producer value, long days) : FlipProbe
{
    public override void Offer(IFilterEntity entity, DateTimeOffset now, ref DateTimeOffset? next)
    {
        var v = value(entity, now);
        if (v.IsNull)
        {
            return;
        }

        var span = TimeSpan.FromDays(days);
        foreach (var t in Builtins.Times(v))
        {
            Consider(t, now, ref next);
            if (t.UtcTicks <= DateTimeOffset.MaxValue.UtcTicks - span.Ticks - 1)
            {
                Consider(t + span + TimeSpan.FromTicks(1), now, ref next);
            }
        }
    }
}
