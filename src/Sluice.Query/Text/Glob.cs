namespace Sluice.Query.Text;

/// <summary>
/// Wildcard matching for LIKE in LQL (case-insensitive) and FilterQL (case-sensitive): <c>*</c> matches any run of
/// characters and <c>?</c> one. Iterative with backtracking to the last star, so it never goes exponential.
/// </summary>
internal static class Glob
{
    public static bool IsMatch(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern, bool ignoreCase)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t] || (ignoreCase && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
