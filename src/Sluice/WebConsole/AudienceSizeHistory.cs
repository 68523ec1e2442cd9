using Sluice.Audiences;
using Sluice.Storage;

namespace Sluice.WebConsole;

/// <summary>
/// An audience's size over time, rebuilt backwards from its size now and its entries and exits (newest first): before
/// an entry it was one smaller, before an exit one larger. Older than the changes read, the size is not known.
/// </summary>
internal static class AudienceSizeHistory
{
    public static IReadOnlyList<(DateTimeOffset At, double Value)> Points(long sizeNow, DateTimeOffset now, IReadOnlyList<MembershipChange> newestFirst)
    {
        var points = new List<(DateTimeOffset, double)> { (now, sizeNow) };
        var size = sizeNow;
        foreach (var change in newestFirst)
        {
            var at = UnixMs.To(change.AtMs);
            points.Add((at, size));
            size += change.Entered ? -1 : 1;
            // A step: the size just before the change, at the same moment.
            points.Add((at, Math.Max(0, size)));
        }
        points.Reverse();
        return points;
    }
}
