using System.Globalization;

namespace Sluice.Query.FilterQl;

/// <summary>
/// A date relative to the evaluation's "now": <c>now</c>, then any sequence of <c>+N unit</c>, <c>-N unit</c> and
/// rounding <c>/unit</c>, e.g. <c>now-7d</c>, <c>now-1M/M</c>, <c>now/d+2h</c>. Units are <c>y M w d h m s</c> (months
/// and minutes differ by case; <c>H</c> is hours too). Rounding goes down to the start of the unit in UTC, weeks
/// starting on Monday. Every such expression is non-decreasing in "now", which is what lets
/// <see cref="EarliestAtLeast"/> find when a comparison flips.
/// </summary>
public sealed class DateMath
{
    private readonly Step[] _steps;
    private readonly long _offsetTicks;

    private DateMath(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
        IsLinear = steps.All(s => !s.Round && s.Unit is not ('y' or 'M'));
        _offsetTicks = IsLinear ? steps.Sum(s => s.Amount * UnitTicks(s.Unit)) : 0;
    }

    public string Text { get; }

    /// <summary>Only fixed-length steps: the result is "now" plus a constant.</summary>
    public bool IsLinear { get; }

    /// <summary>Whether the text is meant as date math: <c>now</c> alone or followed by +, - or /.</summary>
    public static bool LooksLikeDateMath(string text) =>
        text.Length >= 3
        && text.StartsWith("now", StringComparison.OrdinalIgnoreCase)
        && (text.Length == 3 || text[3] is '+' or '-' or '/');

    /// <summary>Parses date math; null with a reason when the text is not valid date math.</summary>
    public static DateMath? TryParse(string text, out string? error)
    {
        error = null;
        if (!LooksLikeDateMath(text))
        {
            error = "date math starts with \"now\"";
            return null;
        }

        var steps = new List<Step>();
        var i = 3;
        while (i < text.Length)
        {
            var op = text[i++];
            if (op == '/')
            {
                if (i >= text.Length || !IsUnit(text[i]))
                {
                    error = $"expected a unit (y M w d h m s) after \"/\" in \"{text}\"";
                    return null;
                }

                steps.Add(new Step(true, text[i++], 0));
                continue;
            }

            if (op is not ('+' or '-'))
            {
                error = $"expected +, - or / at \"{text[(i - 1)..]}\" in \"{text}\"";
                return null;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                error = $"expected a number after \"{text[..i]}\"";
                return null;
            }

            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || amount > 1_000_000)
            {
                error = $"the number in \"{text}\" is too large";
                return null;
            }

            if (i >= text.Length || !IsUnit(text[i]))
            {
                error = $"expected a unit (y M w d h m s) after \"{text[..i]}\"";
                return null;
            }

            steps.Add(new Step(false, text[i++], op == '-' ? -amount : amount));
        }

        return new DateMath(text, [.. steps]);
    }

    public DateTimeOffset Evaluate(DateTimeOffset now)
    {
        if (IsLinear)
        {
            return AddTicks(now.ToUniversalTime(), _offsetTicks);
        }

        var t = now.ToUniversalTime();
        foreach (var step in _steps)
        {
            t = step.Round ? RoundDown(t, step.Unit) : Add(t, step.Unit, step.Amount);
        }

        return t;
    }

    /// <summary>
    /// The earliest instant at or after <paramref name="from"/> at which this date reaches <paramref name="target"/>;
    /// null when it never does within the representable range. Exact for linear date math, and found by bisection
    /// (the function is monotone) when months, years or rounding are involved.
    /// </summary>
    public DateTimeOffset? EarliestAtLeast(DateTimeOffset target, DateTimeOffset from)
    {
        if (Evaluate(from) >= target)
        {
            return from;
        }

        if (IsLinear)
        {
            var ticks = target.UtcTicks - _offsetTicks;
            return ticks > DateTimeOffset.MaxValue.UtcTicks ? null : new DateTimeOffset(Math.Max(ticks, from.UtcTicks), TimeSpan.Zero);
        }

        var lo = from.UtcTicks;
        var step = TimeSpan.TicksPerSecond;
        long hi;
        while (true)
        {
            hi = lo + step;
            if (hi < lo || hi > DateTimeOffset.MaxValue.UtcTicks)
            {
                return null;
            }

            if (Evaluate(new DateTimeOffset(hi, TimeSpan.Zero)) >= target)
            {
                break;
            }

            step *= 2;
        }

        // Invariant: Evaluate(lo) < target <= Evaluate(hi).
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Evaluate(new DateTimeOffset(mid, TimeSpan.Zero)) >= target)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return new DateTimeOffset(hi, TimeSpan.Zero);
    }

    public override string ToString() => Text;

    private static bool IsUnit(char c) => c is 'y' or 'Y' or 'M' or 'w' or 'W' or 'd' or 'D' or 'h' or 'H' or 'm' or 's' or 'S';

    private static char Normal(char unit) => unit switch
    {
        'Y' => 'y',
        'W' => 'w',
        'D' => 'd',
        'H' => 'h',
        'S' => 's',
        _ => unit,
    };

    private static long UnitTicks(char unit) => Normal(unit) switch
    {
        'w' => TimeSpan.TicksPerDay * 7,
        'd' => TimeSpan.TicksPerDay,
        'h' => TimeSpan.TicksPerHour,
        'm' => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerSecond,
    };

    private static DateTimeOffset Add(DateTimeOffset t, char unit, long amount)
    {
        switch (Normal(unit))
        {
            case 'y':
            case 'M':
                var months = Normal(unit) == 'y' ? amount * 12 : amount;
                var monthIndex = ((t.Year - 1) * 12L) + t.Month - 1 + months;
                if (monthIndex < 0)
                {
                    return DateTimeOffset.MinValue;
                }

                if (monthIndex >= 9999 * 12)
                {
                    return DateTimeOffset.MaxValue;
                }

                return t.AddMonths((int)months);
            default:
                return AddTicks(t, amount * UnitTicks(unit));
        }
    }

    private static DateTimeOffset AddTicks(DateTimeOffset t, long ticks)
    {
        var result = t.UtcTicks + ticks;
        if (ticks > 0 && (result < t.UtcTicks || result > DateTimeOffset.MaxValue.UtcTicks))
        {
            return DateTimeOffset.MaxValue;
        }

        if (ticks < 0 && (result > t.UtcTicks || result < DateTimeOffset.MinValue.UtcTicks))
        {
            return DateTimeOffset.MinValue;
        }

        return new DateTimeOffset(result, TimeSpan.Zero);
    }

    private static DateTimeOffset RoundDown(DateTimeOffset t, char unit)
    {
        var u = t.UtcDateTime;
        var rounded = Normal(unit) switch
        {
            'y' => new DateTime(u.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            'M' => new DateTime(u.Year, u.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            'w' => StartOfWeek(u),
            'd' => u.Date,
            'h' => new DateTime(u.Year, u.Month, u.Day, u.Hour, 0, 0, DateTimeKind.Utc),
            'm' => new DateTime(u.Year, u.Month, u.Day, u.Hour, u.Minute, 0, DateTimeKind.Utc),
            _ => new DateTime(u.Year, u.Month, u.Day, u.Hour, u.Minute, u.Second, DateTimeKind.Utc),
        };
        return new DateTimeOffset(DateTime.SpecifyKind(rounded, DateTimeKind.Utc));
    }

    private static DateTime StartOfWeek(DateTime u)
    {
        var back = ((int)u.DayOfWeek + 6) % 7;
        return u.Date.Ticks >= back * TimeSpan.TicksPerDay ? u.Date.AddDays(-back) : DateTime.MinValue;
    }

    private readonly record struct Step(bool Round, char Unit, long Amount);
}
