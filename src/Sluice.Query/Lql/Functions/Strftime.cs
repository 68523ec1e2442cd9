using System.Globalization;
using System.Text;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// Python-style <c>strftime</c> directives (<c>%Y-%m-%d</c>, <c>%B</c>, <c>%p</c> ...) over a UTC time, in the
/// invariant culture. An unknown directive is written as it stands, as Python's does.
/// </summary>
internal static class Strftime
{
    /// <summary>Longest format read: a format is a short pattern, and a longer one is refused rather than formatted.</summary>
    public const int MaxFormatLength = 256;

    public static string? Format(DateTimeOffset time, string format)
    {
        if (format.Length > MaxFormatLength)
        {
            return null;
        }

        var t = time.UtcDateTime;
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(format.Length * 2);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i == format.Length - 1)
            {
                text.Append(format[i]);
                continue;
            }

            var directive = format[++i];
            text.Append(directive switch
            {
                'a' => t.ToString("ddd", c),
                'A' => t.ToString("dddd", c),
                'b' or 'h' => t.ToString("MMM", c),
                'B' => t.ToString("MMMM", c),
                'c' => t.ToString("ddd MMM d HH:mm:ss yyyy", c),
                'd' => t.ToString("dd", c),
                'e' => t.Day.ToString(c).PadLeft(2),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", c),
                'H' => t.ToString("HH", c),
                'I' => t.ToString("hh", c),
                'j' => t.DayOfYear.ToString("D3", c),
                'm' => t.ToString("MM", c),
                'M' => t.ToString("mm", c),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'S' => t.ToString("ss", c),
                's' => time.ToUnixTimeSeconds().ToString(c),
                'U' => WeekOfYear(t, DayOfWeek.Sunday).ToString("D2", c),
                'W' => WeekOfYear(t, DayOfWeek.Monday).ToString("D2", c),
                'w' => ((int)t.DayOfWeek).ToString(c),
                'x' => t.ToString("MM/dd/yy", c),
                'X' => t.ToString("HH:mm:ss", c),
                'y' => t.ToString("yy", c),
                'Y' => t.Year.ToString(c),
                'z' => "+0000",
                'Z' => "UTC",
                '%' => "%",
                _ => string.Concat("%", directive.ToString()),
            });
        }

        return text.ToString();
    }

    /// <summary>Week of the year with weeks starting on <paramref name="first"/>; days before the first such day are week 0.</summary>
    private static int WeekOfYear(DateTime t, DayOfWeek first)
    {
        var offset = ((int)t.DayOfWeek - (int)first + 7) % 7;
        return (t.DayOfYear - 1 - offset + 7) / 7;
    }
}
