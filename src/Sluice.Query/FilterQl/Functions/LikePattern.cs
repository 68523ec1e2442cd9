using Sluice.Query.Text;

namespace Sluice.Query.FilterQl.Functions;

/// <summary>
/// LIKE patterns as qlbridge reads them: <c>*</c> and <c>%</c> match any run of characters, <c>?</c> one character,
/// everything else itself, case-sensitively. Matching is iterative with backtracking to the last star, so a
/// pattern never costs more than text length times pattern length.
/// </summary>
internal sealed class LikePattern
{
    private readonly string _pattern;
    private readonly Shape _shape;
    private readonly string _literal;

    public LikePattern(string pattern)
    {
        _pattern = pattern.Replace('%', '*');
        // The usual patterns are one literal with stars at either end; those need no general matching.
        var core = _pattern.Trim('*');
        var simple = core.Length > 0 && core.IndexOfAny(['*', '?']) < 0;
        var starts = _pattern.StartsWith('*');
        var ends = _pattern.EndsWith('*');
        _literal = core;
        _shape = !simple ? Shape.General
            : starts && ends ? Shape.Contains
            : starts ? Shape.Suffix
            : ends ? Shape.Prefix
            : Shape.Exact;
    }

    private enum Shape
    {
        General,
        Exact,
        Prefix,
        Suffix,
        Contains,
    }

    public bool IsMatch(ReadOnlySpan<char> text) => _shape switch
    {
        Shape.Exact => text.SequenceEqual(_literal),
        Shape.Prefix => text.StartsWith(_literal, StringComparison.Ordinal),
        Shape.Suffix => text.EndsWith(_literal, StringComparison.Ordinal),
        Shape.Contains => text.Contains(_literal, StringComparison.Ordinal),
        _ => Matches(text),
    };

    private bool Matches(ReadOnlySpan<char> text) => Glob.IsMatch(text, _pattern, ignoreCase: false);
}
