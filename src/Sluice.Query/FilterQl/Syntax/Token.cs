namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// One lexical token. A name keeps its dotted parts apart, and which of them were quoted, because a backticked part may
/// itself contain dots (<c>`last.event`.`has.period`</c> is two parts).
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, SourcePosition Position, IReadOnlyList<NamePart> Parts)
{
    public bool IsName => Kind is TokenKind.Word or TokenKind.QuotedName;

    /// <summary>Keywords are bare single-part words, in any case; a quoted name is never a keyword.</summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Word && Parts.Count == 1 && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>How the token is shown in error messages.</summary>
    public string Display => Kind switch
    {
        TokenKind.End => "the end of the statement",
        TokenKind.String => $"the string \"{Shorten(Text)}\"",
        TokenKind.Number => $"the number {Text}",
        TokenKind.Word or TokenKind.QuotedName => $"\"{Shorten(Text)}\"",
        _ => $"\"{Text}\"",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");
}

/// <summary>One dotted part of a name, and whether it was quoted (which fixes where the name splits).</summary>
internal readonly record struct NamePart(string Text, bool Quoted);
