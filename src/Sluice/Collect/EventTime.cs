using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sluice.Collect;

/// <summary>
/// Finds an event's time: the <c>timestamp_field</c> when given, else <c>_ts</c> when present, else the time it was
/// received. Accepts ISO-8601 and RFC 1123 strings and Unix seconds or milliseconds (number or numeric string).
/// </summary>
internal static class EventTime
{
    private const string DefaultField = "_ts";

    private static ReadOnlySpan<byte> DefaultName => "_ts"u8;

    /// <summary>Returns the event time in Unix ms, or an error message when the named field is not a time.</summary>
    public static long Resolve(ReadOnlySpan<byte> eventJson, string? timestampField, long receivedMs, out string? error)
    {
        error = null;
        // Most events carry no _ts: a byte search settles that without a second JSON pass over the event. A name
        // written with escapes (\u005fts) is the one way to spell it without those bytes, so such events are read.
        if (timestampField is null && eventJson.IndexOf("\"_ts\""u8) < 0 && eventJson.IndexOf("\\u"u8) < 0) return receivedMs;
        var field = timestampField ?? DefaultField;
        var reader = new Utf8JsonReader(eventJson);
        reader.Read(); // StartObject
        var name = timestampField is null ? DefaultName : Encoding.UTF8.GetBytes(field);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (!match)
            {
                reader.Skip();
                continue;
            }
            if (TryParse(ref reader, out var ms)) return ms;
            if (timestampField is not null) error = $"timestamp field \"{field}\" is not a recognised time";
            return receivedMs;
        }
        if (timestampField is not null) error = $"timestamp field \"{field}\" is missing";
        return receivedMs;
    }

    private static bool TryParse(ref Utf8JsonReader reader, out long ms)
    {
        ms = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out var n):
                return TryFromUnix(n, out ms);
            case JsonTokenType.String:
                return TryParse(reader.GetString()!, out ms);
            default:
                reader.Skip();
                return false;
        }
    }

    public static bool TryParse(string text, out long ms)
    {
        ms = 0;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return TryFromUnix(n, out ms);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
        {
            ms = t.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }

    /// <summary>Numbers below 10^11 are seconds (until the year 5138), larger ones milliseconds.</summary>
    private static bool TryFromUnix(double n, out long ms)
    {
        ms = n < 1e11 ? (long)(n * 1000) : (long)n;
        return n is > 0 and < 1e14;
    }
}
