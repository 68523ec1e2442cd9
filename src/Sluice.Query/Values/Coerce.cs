using System.Globalization;

namespace Sluice.Query.Values;

/// <summary>Invariant-culture text to number conversions shared by functions, kinds and merges.</summary>
internal static class Coerce
{
    public static Value? ToNumber(string text) => ToNumber(text.AsSpan());

    public static Value? ToNumber(ReadOnlySpan<char> text)
    {
        var span = text.Trim();
        if (span.IsEmpty)
        {
            return null;
        }

        if (long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return Value.FromLong(l);
        }

        if (double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return Value.FromDouble(d);
        }

        return null;
    }
}
