using System.Globalization;

namespace Sluice.Query.Lql.Functions;

/// <summary>Lenient date parsing for <c>todate</c>, KIND date and comparisons. Times without an offset are UTC.</summary>
internal static class DateParser
{
    private const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;

    // Bounds for telling unix seconds from milliseconds and rejecting nonsense: 1970 to 2200.
    private const long MaxSeconds = 7258118400;
    private const long MaxMilliseconds = MaxSeconds * 1000;

    public static DateTimeOffset? Parse(string text) => Parse(text.AsSpan());

    public static DateTimeOffset? Parse(ReadOnlySpan<char> text)
    {
        var s = text.Trim();
        if (s.IsEmpty)
        {
            return null;
        }

        if (IsoDate.TryParse(s, out var iso))
        {
            return iso;
        }

        if (ParseNumeric(s) is { } numeric)
        {
            return numeric;
        }

        if (DateTimeOffset.TryParseExact(s, DateFormats.All, CultureInfo.InvariantCulture, Styles, out var parsed))
        {
            return parsed;
        }

        // .NET reads at most seven fraction digits; nanosecond timestamps (Go, Java) carry nine.
        var fraction = LongFraction(s);
        if (fraction >= 0)
        {
            var shortened = string.Concat(s[..(fraction + 8)], s[(fraction + 8)..].TrimStart("0123456789"));
            return Parse(shortened);
        }

        return null;
    }

    /// <summary>Index of a '.' followed by more than seven digits, or -1.</summary>
    private static int LongFraction(ReadOnlySpan<char> s)
    {
        var dot = s.IndexOf('.');
        if (dot < 0)
        {
            return -1;
        }

        var digits = 0;
        while (dot + 1 + digits < s.Length && char.IsAsciiDigit(s[dot + 1 + digits]))
        {
            digits++;
        }

        return digits > 7 ? dot : -1;
    }

    /// <summary>Parses with an explicit layout, either a .NET format (<c>dd/MM/yyyy</c>) or a Go layout (<c>02/01/2006</c>).</summary>
    public static DateTimeOffset? ParseExact(string text, string layout)
    {
        var format = GoLayout.IsGoLayout(layout) ? GoLayout.ToDotNet(layout) : layout;
        return DateTimeOffset.TryParseExact(text.Trim(), format, CultureInfo.InvariantCulture, Styles, out var parsed)
            ? parsed
            : null;
    }

    public static DateTimeOffset? FromUnix(long number)
    {
        if (number >= 0 && number < MaxSeconds)
        {
            return DateTimeOffset.FromUnixTimeSeconds(number);
        }

        if (number >= 0 && number < MaxMilliseconds)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(number);
        }

        return null;
    }

    public static DateTimeOffset? FromUnix(double number)
    {
        if (number >= 0 && number < MaxSeconds)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(number * 1000));
        }

        return number >= 0 && number < MaxMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)number) : null;
    }

    private static DateTimeOffset? ParseNumeric(ReadOnlySpan<char> s)
    {
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits != s.Length)
        {
            // Unix seconds with a fraction: 1700000000.25
            if (digits >= 9 && s[digits] == '.' && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional))
            {
                return FromUnix(fractional);
            }

            return null;
        }

        if (digits is 8 or 14 or 12)
        {
            var format = digits switch { 8 => "yyyyMMdd", 12 => "yyyyMMddHHmm", _ => "yyyyMMddHHmmss" };
            if (DateTimeOffset.TryParseExact(s, format, CultureInfo.InvariantCulture, Styles, out var compact)
                && compact.Year is >= 1800 and <= 2200)
            {
                return compact;
            }
        }

        if (digits > 18 || !long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        // Microseconds and nanoseconds since the epoch have 16 and 19 digits.
        return digits switch
        {
            16 => DateTimeOffset.FromUnixTimeMilliseconds(number / 1000),
            >= 9 => FromUnix(number),
            _ => null,
        };
    }
}
