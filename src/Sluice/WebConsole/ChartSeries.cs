namespace Sluice.WebConsole;

/// <summary>One line of a <see cref="Pages.TimeChart"/>: its name (legend and table column), colour, and points in time order.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<(DateTimeOffset At, double Value)> Points);
