namespace Sluice.Query.Lql.Functions;

/// <summary>
/// E.164 normalisation without a numbering-plan database: punctuation and extensions are dropped, an
/// international prefix (+ or 00) is kept, and bare 10-digit numbers (or 11 starting with 1) are read as
/// North American, the default region. Anything else cannot be placed in a country and yields null.
/// </summary>
internal static class PhoneNormalizer
{
    public static string? Normalize(string text)
    {
        var trimmed = text.Trim();
        // "+44 (0)20 ..." writes the national trunk prefix beside the country code; dialling internationally drops it.
        if (trimmed.StartsWith('+') && trimmed.Contains("(0)", StringComparison.Ordinal))
        {
            trimmed = trimmed.Replace("(0)", string.Empty, StringComparison.Ordinal);
        }

        var s = StripExtension(trimmed);
        Span<char> digits = stackalloc char[24];
        var count = 0;
        var international = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c;
            }
            else if (c == '+' && count == 0 && !international)
            {
                international = true;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/'))
            {
                // Letters (vanity numbers) and stray symbols are not something we can dial reliably.
                return null;
            }
        }

        var number = digits[..count];
        if (!international && number.StartsWith("00"))
        {
            international = true;
            number = number[2..];
        }

        if (international)
        {
            return number.Length is >= 8 and <= 15 && number[0] != '0' ? "+" + number.ToString() : null;
        }

        if (number.Length == 11 && number[0] == '1')
        {
            number = number[1..];
        }

        // North American area codes never start with 0 or 1.
        return number.Length == 10 && number[0] >= '2' ? "+1" + number.ToString() : null;
    }

    private static ReadOnlySpan<char> StripExtension(ReadOnlySpan<char> s)
    {
        foreach (var marker in (ReadOnlySpan<string>)["ext.", "ext", "x", "#"])
        {
            var at = s.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && IsDigitsOnly(s[(at + marker.Length)..].Trim()))
            {
                return s[..at].TrimEnd();
            }
        }

        return s;
    }

    private static bool IsDigitsOnly(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
