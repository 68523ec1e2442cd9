namespace Sluice.Query.Values;

/// <summary>Winner selection for LATEST and OLDEST: by event time, equal times resolved by the greater value.</summary>
internal static class Order
{
    public static FieldValue LatestWins(FieldValue a, FieldValue b)
    {
        var byTime = a.EventTime.CompareTo(b.EventTime);
        if (byTime != 0)
        {
            return byTime > 0 ? a : b;
        }

        return a.Value >= b.Value ? a : b;
    }

    public static FieldValue OldestWins(FieldValue a, FieldValue b)
    {
        var byTime = a.EventTime.CompareTo(b.EventTime);
        if (byTime != 0)
        {
            return byTime < 0 ? a : b;
        }

        return a.Value >= b.Value ? a : b;
    }
}
