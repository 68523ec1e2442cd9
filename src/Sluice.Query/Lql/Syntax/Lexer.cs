using System.Text;

namespace Sluice.Query.Lql.Syntax;

/// <summary>Splits LQL text into tokens, tracking 1-based line and column for error messages.</summary>
internal sealed class Lexer(string text)
{
    private int _index;
    private int _line = 1;
    private int _lineStart;

    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        Token token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
        }
        while (token.Kind != TokenKind.End);

        return tokens;
    }

    private int Column => _index - _lineStart + 1;

    private char Peek(int ahead = 0) => _index + ahead < text.Length ? text[_index + ahead] : '\0';

    private Token Next()
    {
        SkipTrivia();
        var line = _line;
        var column = Column;
        if (_index >= text.Length)
        {
            return Make(TokenKind.End, string.Empty, line, column);
        }

        var c = Peek();
        if (IsIdentStart(c) || c == '`')
        {
            return ReadIdentifier(line, column);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            return ReadNumber(line, column);
        }

        if (c is '"' or '\'')
        {
            return Make(TokenKind.String, ReadQuoted(c, line, column), line, column);
        }

        var (kind, length) = c switch
        {
            ',' => (TokenKind.Comma, 1),
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            ';' => (TokenKind.Semicolon, 1),
            '-' => (TokenKind.Minus, 1),
            '=' => (TokenKind.Equal, Peek(1) == '=' ? 2 : 1),
            '!' when Peek(1) == '=' => (TokenKind.NotEqual, 2),
            '<' when Peek(1) == '>' => (TokenKind.NotEqual, 2),
            '<' => Peek(1) == '=' ? (TokenKind.LessOrEqual, 2) : (TokenKind.Less, 1),
            '>' => Peek(1) == '=' ? (TokenKind.GreaterOrEqual, 2) : (TokenKind.Greater, 1),
            _ => throw new QuerySyntaxException(line, column, $"unexpected character \"{c}\""),
        };
        _index += length;
        return Make(kind, text.Substring(_index - length, length), line, column);
    }

    private void SkipTrivia()
    {
        while (_index < text.Length)
        {
            var c = text[_index];
            if (c == '\n')
            {
                _index++;
                _line++;
                _lineStart = _index;
            }
            else if (char.IsWhiteSpace(c))
            {
                _index++;
            }
            else if (c == '-' && Peek(1) == '-')
            {
                while (_index < text.Length && text[_index] != '\n')
                {
                    _index++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private Token ReadIdentifier(int line, int column)
    {
        var parts = new List<string>();
        var quoted = false;
        while (true)
        {
            if (Peek() == '`')
            {
                quoted = true;
                var partLine = _line;
                var partColumn = Column;
                parts.Add(ReadQuoted('`', partLine, partColumn));
            }
            else if (IsIdentStart(Peek()))
            {
                var start = _index;
                while (IsIdentPart(Peek()))
                {
                    _index++;
                }

                parts.Add(text[start.._index]);
            }
            else
            {
                throw new QuerySyntaxException(_line, Column, "expected a name after \".\"");
            }

            if (Peek() == '.' && (IsIdentStart(Peek(1)) || Peek(1) == '`'))
            {
                _index++;
                continue;
            }

            break;
        }

        return new Token(TokenKind.Identifier, string.Join('.', parts), line, column, parts, quoted);
    }

    private Token ReadNumber(int line, int column)
    {
        var start = _index;
        while (char.IsAsciiDigit(Peek()) || Peek() == '.')
        {
            _index++;
        }

        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _index += 2;
            while (char.IsAsciiDigit(Peek()))
            {
                _index++;
            }
        }

        if (IsIdentStart(Peek()))
        {
            throw new QuerySyntaxException(line, column, $"malformed number \"{text[start.._index]}{Peek()}\"");
        }

        return Make(TokenKind.Number, text[start.._index], line, column);
    }

    private string ReadQuoted(char quote, int line, int column)
    {
        _index++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_index >= text.Length)
            {
                var what = quote == '`' ? "backticked name" : "string";
                throw new QuerySyntaxException(line, column, $"unterminated {what}");
            }

            var c = text[_index++];
            if (c == quote)
            {
                // A doubled quote stands for itself, as in SQL.
                if (Peek() == quote)
                {
                    sb.Append(quote);
                    _index++;
                    continue;
                }

                return sb.ToString();
            }

            if (c == '\\' && quote != '`' && _index < text.Length)
            {
                var escaped = text[_index++];
                sb.Append(escaped switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => escaped });
                continue;
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _index;
            }

            sb.Append(c);
        }
    }

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_' || c == '$' || c == '@';

    private static bool IsIdentPart(char c) => IsIdentStart(c) || char.IsAsciiDigit(c);

    private static Token Make(TokenKind kind, string text, int line, int column) =>
        new(kind, text, line, column, [], false);
}
