using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>qlbridge's calendar functions, in UTC; each reads its argument as a date first (<c>yymm(ts)</c>).</summary>
internal static partial class TimeFunctions
{
    /// <summary>Longest text read as a time or a duration: anything longer is no date, and is not scanned.</summary>
    private const int MaxTimeText = 128;

    public static Func<Value, Value> Part(Func<DateTimeOffset, Value> part) => value =>
    {
        var date = ConversionFunctions.ToDate(value);
        return date.IsNull ? Value.Null : part(date.AsDate());
    };

    public static Value Yy(DateTimeOffset d) => Value.FromLong(d.Year % 100);

    public static Value Mm(DateTimeOffset d) => Value.FromLong(d.Month);

    public static Value YyMm(DateTimeOffset d) => Value.FromString(d.ToString("yyMM", CultureInfo.InvariantCulture));

    public static Value DayOfWeek(DateTimeOffset d) => Value.FromLong((long)d.DayOfWeek);

    public static Value HourOfDay(DateTimeOffset d) => Value.FromLong(d.Hour);

    /// <summary>Hours since Sunday midnight: 0 to 167.</summary>
    public static Value HourOfWeek(DateTimeOffset d) => Value.FromLong(((long)d.DayOfWeek * 24) + d.Hour);

    /// <summary>
    /// <c>seconds(x)</c>: a duration or a time in seconds. <c>"M10:30"</c> and <c>"10:30"</c> are minutes and seconds
    /// (630); a number is itself (<c>"30"</c> is 30); a date is its Unix time (<c>"2015/07/04"</c> is 1435968000).
    /// A zero duration, or text that is none of these, writes nothing.
    /// </summary>
    public static Value Seconds(Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Long:
            case ValueKind.Double:
                return Value.FromDouble(value.AsDouble());
            case ValueKind.Date:
                return Value.FromDouble(value.AsDate().ToUnixTimeSeconds());
            case ValueKind.String:
                var text = value.AsString().Trim();
                if (text.Length == 0 || text.Length > MaxTimeText)
                {
                    return Value.Null;
                }

                if (MinutesSeconds().Match(text) is { Success: true } m)
                {
                    var total = (60 * double.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)) + double.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
                    return total > 0 ? Value.FromDouble(total) : Value.Null;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return Value.FromDouble(number);
                }

                return DateParser.Parse(text) is { } date ? Value.FromDouble(date.ToUnixTimeSeconds()) : Value.Null;
            default:
                return Value.Null;
        }
    }

    /// <summary><c>strftime(x, format)</c>: the date formatted with Python's directives (see <see cref="Strftime"/>), in UTC.</summary>
    public static Value StrFromTime(Value value, Value format)
    {
        var date = ConversionFunctions.ToDate(value);
        return date.IsNull || format.IsNull ? Value.Null : Value.FromString(Strftime.Format(date.AsDate(), format.ToString()));
    }

    /// <summary>
    /// <c>todatein(x, "America/Los_Angeles")</c>: a date whose text names no offset is read as a wall-clock time in
    /// that zone (daylight saving included), then kept in UTC like every date; text with an offset, and Unix times,
    /// are absolute already. The zone must be a literal IANA name, checked when the mapping is compiled.
    /// </summary>
    public static Func<Value, Value> ToDateIn(string zoneName)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FunctionArgumentException($"no time zone \"{zoneName}\": name one such as America/Los_Angeles or Europe/Paris");
        }

        return value =>
        {
            if (value.Kind != ValueKind.String)
            {
                return ConversionFunctions.ToDate(value);
            }

            var text = value.AsString().Trim();
            if (text.Length > MaxTimeText || DateParser.Parse(text) is not { } read)
            {
                return Value.Null;
            }

            // A Unix time or a time with its offset is absolute already; anything else (a bare date too) is read
            // on the zone's clock.
            if (NamesOffset().IsMatch(text) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return Value.FromDate(read);
            }

            var wall = DateTime.SpecifyKind(read.UtcDateTime, DateTimeKind.Unspecified);
            return Value.FromDate(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero));
        };
    }

    /// <summary>Longest key <c>maptime</c> writes: keys are names (a product, a campaign), not documents.</summary>
    public const int MaxMapTimeKey = 1024;

    /// <summary><c>maptime(key, time)</c>: a map of the key, lower-cased, to the time read as a date.</summary>
    public static Value MapTime(Value key, Value time)
    {
        if (key.IsNull || key.Kind is not (ValueKind.String or ValueKind.Long or ValueKind.Double or ValueKind.Bool))
        {
            return Value.Null;
        }

        var name = key.ToString().ToLowerInvariant();
        var date = ConversionFunctions.ToDate(time);
        return name.Length == 0 || name.Length > MaxMapTimeKey || date.IsNull
            ? Value.Null
            : Value.FromTimeMap([KeyValuePair.Create(name, date.AsDate())]);
    }

    [GeneratedRegex(@"^M?(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex MinutesSeconds();

    /// <summary>A time that ends in its offset or zone: <c>Z</c>, <c>+02:00</c>, <c>-0700</c>, <c>UTC</c>, <c>GMT</c>.</summary>
    [GeneratedRegex(@"(?:Z|[+\-]\d{2}:?\d{2}|\bUTC|\bGMT)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NamesOffset();
}
