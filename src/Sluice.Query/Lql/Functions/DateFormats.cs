namespace Sluice.Query.Lql.Functions;

/// <summary>
/// The text date shapes <c>todate</c> recognises, most common first. Month-first wins over day-first for
/// slashed dates because the sources Sluice reads (Braze exports, US-centric tools) write them that way.
/// Numeric shapes (YYYYMMDD, unix seconds and milliseconds) are handled before this table.
/// </summary>
internal static class DateFormats
{
    public static readonly string[] All =
    [
        // ISO 8601 / RFC 3339
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz",
        "yyyy-MM-dd'T'HH:mm:sszz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH",
        "yyyyMMdd'T'HHmmssK",
        "yyyyMMdd'T'HHmmss",
        "yyyyMMdd'T'HHmmss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss zzz",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz",
        "yyyy-MM-dd HH:mm:ss 'UTC'",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'",
        "yyyy-MM-dd",
        "yyyy-M-d",
        "yyyy-MM",
        // Year first, other separators
        "yyyy/MM/dd",
        "yyyy/M/d",
        "yyyy/MM/dd HH:mm:ss",
        "yyyy/MM/dd HH:mm",
        "yyyy.MM.dd",
        "yyyy.MM.dd HH:mm:ss",
        // Month first (US)
        "MM/dd/yyyy",
        "M/d/yyyy",
        "MM/dd/yyyy HH:mm:ss",
        "M/d/yyyy H:mm:ss",
        "M/d/yyyy H:mm",
        "M/d/yyyy h:mm:ss tt",
        "M/d/yyyy h:mm tt",
        "MM/dd/yy",
        "M/d/yy",
        "MM-dd-yyyy",
        "M-d-yyyy",
        "MM-dd-yyyy HH:mm:ss",
        // Day first with dots (European)
        "dd.MM.yyyy",
        "d.M.yyyy",
        "dd.MM.yyyy HH:mm:ss",
        "dd.MM.yyyy HH:mm",
        // Written months
        "MMM d, yyyy",
        "MMMM d, yyyy",
        "MMM d yyyy",
        "MMMM d yyyy",
        "MMM d, yyyy h:mm tt",
        "MMMM d, yyyy h:mm tt",
        "MMM d, yyyy HH:mm:ss",
        "d MMM yyyy",
        "dd MMM yyyy",
        "d MMMM yyyy",
        "d MMM yyyy HH:mm:ss",
        "dd-MMM-yyyy",
        "dd-MMM-yy",
        "dd-MMM-yyyy HH:mm:ss",
        "ddd, MMM d, yyyy",
        "dddd, MMMM d, yyyy",
        // RFC 1123 / RFC 822 / RFC 850 / asctime / Unix date
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'",
        "ddd, d MMM yyyy HH:mm:ss 'GMT'",
        "ddd, dd MMM yyyy HH:mm:ss 'UTC'",
        "ddd, dd MMM yyyy HH:mm:ss zzz",
        "ddd, d MMM yyyy HH:mm:ss zzz",
        "ddd, dd MMM yyyy HH:mm:ss",
        "dd MMM yyyy HH:mm:ss zzz",
        "dd MMM yy HH:mm zzz",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
        "ddd MMM dd HH:mm:ss yyyy",
        "ddd MMM d HH:mm:ss 'UTC' yyyy",
        "ddd MMM dd HH:mm:ss 'UTC' yyyy",
        "ddd MMM d HH:mm:ss 'GMT' yyyy",
        "ddd MMM dd HH:mm:ss zzz yyyy",
    ];
}
