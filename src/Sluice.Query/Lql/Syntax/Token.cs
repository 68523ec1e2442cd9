namespace Sluice.Query.Lql.Syntax;

/// <summary>
/// One lexical token. Identifiers keep their dotted parts separately because a backticked part may itself
/// contain dots (<c>`a.b`.c</c> is two parts).
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Line, int Column, IReadOnlyList<string> Parts, bool Quoted)
{
    public Position Position => new(Line, Column);

    /// <summary>Keywords are plain single-part identifiers; a backticked name is never a keyword.</summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && !Quoted && Parts.Count == 1 && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>How the token is shown in error messages.</summary>
    public string Display => Kind switch
    {
        TokenKind.End => "end of query",
        TokenKind.String => $"\"{Text}\"",
        _ => $"\"{Text}\"",
    };
}

internal readonly record struct Position(int Line, int Column);
