namespace Sluice.Query.FilterQl.Functions;

/// <summary>
/// LIKE patterns as qlbridge reads them: <c>*</c> and <c>%</c> match any run of characters, <c>?</c> one character,
/// everything else itself, case-sensitively. Matching is iterative with backtracking to the last star, so a
/// pattern never costs more than text length times pattern length.
/// </summary>
internal sealed class LikePattern(string pattern)
{
    private readonly string _pattern = pattern.Replace('%', '*');

    public bool IsMatch(ReadOnlySpan<char> text)
    {
        var pattern = _pattern.AsSpan();
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
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
