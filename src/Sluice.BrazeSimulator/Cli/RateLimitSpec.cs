using System.Globalization;

namespace Sluice.BrazeSimulator.Cli;

/// <summary>Parses <c>3000/3s</c>, <c>50000/1m</c>, <c>100/500ms</c>, or <c>off</c>.</summary>
internal static class RateLimitSpec
{
    public static (int Limit, TimeSpan Window) Parse(string text)
    {
        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase) || text == "0")
        {
            return (0, TimeSpan.FromSeconds(3));
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit <= 0)
        {
            throw new FormatException($"Rate limit '{text}' is not COUNT/WINDOW, e.g. 3000/3s, or 'off'.");
        }

        return (limit, Duration(text[(slash + 1)..]));
    }

    public static TimeSpan Duration(string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : text.EndsWith('h') ? (text[..^1], 3_600_000.0)
            : (text, 1000.0);
        if (number.Length == 0)
        {
            number = "1";
        }

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new FormatException($"'{text}' is not a duration such as 3s, 1m or 500ms.");
        }

        return TimeSpan.FromMilliseconds(value * unit);
    }
}
