namespace Sluice.Processing.Lag;

/// <summary>
/// Counts of lag values in milliseconds, in buckets an eighth of a power of two wide (exact below 16 ms), so that a
/// percentile read from it is within 12.5 % of the true value whatever the scale, from milliseconds to days. Adding a
/// value is an array increment: the processor adds one per event it applies.
/// </summary>
internal sealed class LagHistogram
{
    private const int Exact = 16;
    private const int SubBuckets = 8;
    private const int SubBits = 3;

    /// <summary>Values from 2^36 ms (two years) up share the last bucket.</summary>
    private const int MaxExponent = 35;

    private readonly int[] _counts = new int[Exact + ((MaxExponent - 3) * SubBuckets)];

    public long Count { get; private set; }

    public long MaxMs { get; private set; }

    public void Add(long lagMs)
    {
        var v = Math.Max(0, lagMs);
        _counts[Bucket(v)]++;
        Count++;
        if (v > MaxMs) MaxMs = v;
    }

    /// <summary>Adds every value counted by <paramref name="other"/>.</summary>
    public void Add(LagHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        MaxMs = Math.Max(MaxMs, other.MaxMs);
    }

    /// <summary>
    /// The value at or below which <paramref name="fraction"/> of the counted values lie: the top of its bucket, and
    /// never above the largest value seen. Zero when nothing was counted.
    /// </summary>
    public long Percentile(double fraction) => Percentile(fraction, null);

    /// <summary>The percentile of this histogram and <paramref name="with"/> together, without changing either.</summary>
    public long Percentile(double fraction, LagHistogram? with)
    {
        var count = Count + (with?.Count ?? 0);
        if (count == 0) return 0;
        var max = Math.Max(MaxMs, with?.MaxMs ?? 0);
        var rank = Math.Max(1, (long)Math.Ceiling(fraction * count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i] + (with?._counts[i] ?? 0);
            if (seen >= rank) return Math.Min(Top(i), max);
        }
        return max;
    }

    internal static int Bucket(long v)
    {
        if (v < Exact) return (int)v;
        var exponent = (int)Math.Min(63 - long.LeadingZeroCount(v), MaxExponent);
        if (exponent == MaxExponent && v >= 1L << (MaxExponent + 1)) return Exact + ((MaxExponent - 3) * SubBuckets) - 1;
        var sub = (int)((v >> (exponent - SubBits)) & (SubBuckets - 1));
        return Exact + ((exponent - 4) * SubBuckets) + sub;
    }

    /// <summary>The largest value that falls in bucket <paramref name="i"/>.</summary>
    internal static long Top(int i)
    {
        if (i < Exact) return i;
        var exponent = ((i - Exact) / SubBuckets) + 4;
        var sub = (i - Exact) % SubBuckets;
        var width = 1L << (exponent - SubBits);
        return ((SubBuckets + sub) * width) + width - 1;
    }
}
