namespace Sluice.Query.FilterQl.Syntax;

internal enum TokenKind
{
    End,
    Word,
    QuotedName,
    String,
    Number,
    Comma,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Semicolon,
    Star,
    Minus,
    Equal,
    EqualEqual,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}
