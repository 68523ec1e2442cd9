namespace Sluice.Query.Values;

/// <summary>How a profile field combines the values written to it by many events.</summary>
public enum MergeOp
{
    /// <summary>The value with the greatest event time wins.</summary>
    Latest = 0,
    /// <summary>The value with the smallest event time wins.</summary>
    Oldest,
    /// <summary>Union of all values, kept ordinally sorted.</summary>
    Set,
    /// <summary>Sum of the per-event counts.</summary>
    Count,
    /// <summary>Sum of the values.</summary>
    Sum,
    /// <summary>Smallest value.</summary>
    Min,
    /// <summary>Greatest value.</summary>
    Max,
}
