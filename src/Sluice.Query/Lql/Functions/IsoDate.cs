namespace Sluice.Query.Lql.Functions;

/// <summary>
/// The two date shapes that exports write for nearly every date, read by hand: <c>2025-06-24</c> and
/// <c>2025-06-24T02:56:57[.fffffff][Z]</c> (UTC, or no offset, which <see cref="DateParser"/> reads as UTC). The
/// format table tries some twenty formats in turn, and dates were a tenth of a bulk import's mapping. Whatever this
/// accepts, the table reads as the same instant; anything else (offsets, other separators, eight or more fraction
/// digits, out-of-range parts) is left to it.
/// </summary>
internal static class IsoDate
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset parsed)
    {
        parsed = default;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-' ||
            !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day) ||
            year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (s.Length == 10)
        {
            parsed = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        if (s.Length < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
            !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks += (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond);
        var at = 19;
        if (at < s.Length && s[at] == '.')
        {
            var digits = 0;
            long fraction = 0;
            while (at + 1 + digits < s.Length && char.IsAsciiDigit(s[at + 1 + digits]))
            {
                if (digits == 7)
                {
                    return false;
                }

                fraction = (fraction * 10) + (s[at + 1 + digits] - '0');
                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var d = digits; d < 7; d++)
            {
                fraction *= 10;
            }

            ticks += fraction;
            at += 1 + digits;
        }

        if (at < s.Length && s[at] == 'Z')
        {
            at++;
        }

        if (at != s.Length)
        {
            return false;
        }

        parsed = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }
}
