using System.Globalization;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>qlbridge's calendar functions, in UTC; each reads its argument as a date first (<c>yymm(ts)</c>).</summary>
internal static class TimeFunctions
{
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
}
