using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sluice.Auth;

/// <summary>
/// A token's lifetime: the console's choices (7, 30, 90 days or never), any <c>Nd</c>, or a Go duration as Lytics'
/// clients send it (<c>10m</c>, <c>720h</c>, <c>1h30m</c>). At most ten years.
/// </summary>
internal static class TokenExpiry
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    public static bool TryParse(string? text, [NotNullWhen(false)] out string? error, out TimeSpan? lifetime)
    {
        lifetime = null;
        error = null;
        var t = (text ?? "never").Trim().ToLowerInvariant();
        if (t is "never" or "none" or "" or "0") return true;
        if (TryDuration(t, out var span) && span > TimeSpan.Zero && span <= Longest)
        {
            lifetime = span;
            return true;
        }
        error = $"expires must be \"7d\", \"30d\", \"90d\", \"never\", a number of days like \"45d\" or a duration like \"720h\" or \"1h30m\" (at most 3650 days); got \"{text}\"";
        return false;
    }

    /// <summary>Numbers each followed by a unit (d, h, m, s, ms), added up: Go's duration syntax plus days.</summary>
    private static bool TryDuration(string t, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        if (t.Length is 0 or > 64) return false;
        var i = 0;
        while (i < t.Length)
        {
            var start = i;
            while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.')) i++;
            if (i == start || !double.TryParse(t.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
            var unitStart = i;
            while (i < t.Length && char.IsAsciiLetterLower(t[i])) i++;
            var unit = t[unitStart..i] switch
            {
                "d" => TimeSpan.FromDays(1),
                "h" => TimeSpan.FromHours(1),
                "m" => TimeSpan.FromMinutes(1),
                "s" => TimeSpan.FromSeconds(1),
                "ms" => TimeSpan.FromMilliseconds(1),
                _ => TimeSpan.Zero,
            };
            if (unit == TimeSpan.Zero || n * unit.TotalDays > Longest.TotalDays) return false;
            span += unit * n;
        }
        return true;
    }
}
