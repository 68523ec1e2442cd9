namespace Sluice.Query.Lql.Syntax;

internal enum TokenKind
{
    End,
    Identifier,
    String,
    Number,
    Comma,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Semicolon,
    Minus,
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}
