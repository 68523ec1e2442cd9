using System.Security.Cryptography;
using System.Text;

namespace Sluice.Query.Lql.Functions;

internal static class TextFunctions
{
    /// <summary>Trimmed and lower-cased, or null when the text cannot be an address (so it never becomes an identity).</summary>
    public static string? Email(string text)
    {
        var s = text.AsSpan().Trim();
        if (s.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[7..].Trim();
        }

        if (s.Length is < 3 or > 254)
        {
            return null;
        }

        var at = s.IndexOf('@');
        if (at <= 0 || at != s.LastIndexOf('@'))
        {
            return null;
        }

        var local = s[..at];
        var domain = s[(at + 1)..];
        if (local.Length > 64 || !IsPlausibleDomain(domain) || local[0] == '.' || local[^1] == '.')
        {
            return null;
        }

        foreach (var c in local)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\')
            {
                return null;
            }
        }

        return LowerInvariant(text, s);
    }

    /// <summary>
    /// <paramref name="s"/> (a slice of <paramref name="text"/>) lower-cased: the text itself when it is the whole text
    /// and lower case already (most addresses), else one new string, not a copy and then its lower-cased copy.
    /// </summary>
    private static string LowerInvariant(string text, ReadOnlySpan<char> s)
    {
        Span<char> lower = stackalloc char[s.Length];
        s.ToLowerInvariant(lower);
        return s.Length == text.Length && lower.SequenceEqual(s) ? text : new string(lower);
    }

    public static string? EmailDomain(string text) => Email(text) is { } email ? email[(email.IndexOf('@') + 1)..] : null;

    public static string? Trim(string text) => text.Trim();

    public static string? ToLower(string text) => text.ToLowerInvariant();

    public static string? ToUpper(string text) => text.ToUpperInvariant();

    public static string? Sha256(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash);
    }

    private static bool IsPlausibleDomain(ReadOnlySpan<char> domain)
    {
        var dot = domain.LastIndexOf('.');
        if (dot <= 0 || domain.Length - dot - 1 < 2 || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in domain)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return domain[0] is not ('-' or '.') && domain[^1] is not ('-' or '.');
    }
}
