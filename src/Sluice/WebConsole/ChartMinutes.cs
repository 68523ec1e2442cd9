namespace Sluice.WebConsole;

/// <summary>
/// Per-minute counts as the stores give them leave quiet minutes out; a line drawn through them would hide the
/// quiet. A zero is put in the minute after a counted minute and before the next one, so the line drops to zero.
/// </summary>
internal static class ChartMinutes
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<(DateTimeOffset At, double Value)> WithZeros(IReadOnlyList<(DateTimeOffset At, double Value)> counted)
    {
        var points = new List<(DateTimeOffset, double)>(counted.Count * 2);
        for (var i = 0; i < counted.Count; i++)
        {
            var (at, value) = counted[i];
            if (i > 0 && counted[i - 1].At + Minute < at)
            {
                if (counted[i - 1].At + Minute < at - Minute) points.Add((counted[i - 1].At + Minute, 0));
                points.Add((at - Minute, 0));
            }
            points.Add((at, value));
        }
        return points;
    }
}
