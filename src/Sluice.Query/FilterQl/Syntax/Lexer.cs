using System.Text;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// Splits FilterQL text into tokens with 1-based positions. Newlines are plain whitespace: list items may be
/// separated by commas or by nothing at all, so a newline needs no token of its own.
/// </summary>
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

    private SourcePosition Here => new(_line, _index - _lineStart + 1);

    private char Peek(int ahead = 0) => _index + ahead < text.Length ? text[_index + ahead] : '\0';

    private Token Next()
    {
        SkipTrivia();
        var at = Here;
        if (_index >= text.Length)
        {
            return Make(TokenKind.End, string.Empty, at);
        }

        var c = Peek();
        if (IsWordStart(c) || c is '`' or '\'')
        {
            return ReadName(at);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            return ReadNumberOrWord(at);
        }

        if (c == '"')
        {
            return Make(TokenKind.String, ReadQuoted('"', at), at);
        }

        var (kind, length) = c switch
        {
            ',' => (TokenKind.Comma, 1),
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            ';' => (TokenKind.Semicolon, 1),
            '*' => (TokenKind.Star, 1),
            '-' => (TokenKind.Minus, 1),
            '=' => Peek(1) == '=' ? (TokenKind.EqualEqual, 2) : (TokenKind.Equal, 1),
            '!' when Peek(1) == '=' => (TokenKind.NotEqual, 2),
            '<' when Peek(1) == '>' => (TokenKind.NotEqual, 2),
            '<' => Peek(1) == '=' ? (TokenKind.LessOrEqual, 2) : (TokenKind.Less, 1),
            '>' => Peek(1) == '=' ? (TokenKind.GreaterOrEqual, 2) : (TokenKind.Greater, 1),
            _ => throw new FilterQlException(at, $"unexpected character \"{Printable(c)}\""),
        };
        _index += length;
        return Make(kind, text.Substring(_index - length, length), at);
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

    /// <summary>A dotted name whose parts are bare words, backticked or single-quoted.</summary>
    private Token ReadName(SourcePosition at)
    {
        var parts = new List<NamePart>();
        var anyQuoted = false;
        while (true)
        {
            var c = Peek();
            if (c is '`' or '\'')
            {
                anyQuoted = true;
                parts.Add(new NamePart(ReadQuoted(c, Here), true));
            }
            else if (IsWordPart(c))
            {
                var start = _index;
                while (IsWordPart(Peek()))
                {
                    _index++;
                }

                parts.Add(new NamePart(text[start.._index], false));
            }
            else
            {
                throw new FilterQlException(Here, "expected a name after \".\"");
            }

            if (Peek() == '.' && (IsWordPart(Peek(1)) || Peek(1) is '`' or '\''))
            {
                _index++;
                continue;
            }

            break;
        }

        var joined = string.Join('.', parts.Select(p => p.Text));
        return new Token(anyQuoted ? TokenKind.QuotedName : TokenKind.Word, joined, at, parts);
    }

    /// <summary>
    /// Numbers, but a run that starts with digits and goes on with letters is a name: audience slugs such as
    /// <c>3d4240482815b9848caf2e6f</c> follow INCLUDE unquoted.
    /// </summary>
    private Token ReadNumberOrWord(SourcePosition at)
    {
        var start = _index;
        while (char.IsAsciiDigit(Peek()))
        {
            _index++;
        }

        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _index++;
            while (char.IsAsciiDigit(Peek()))
            {
                _index++;
            }
        }

        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _index += 2;
            while (char.IsAsciiDigit(Peek()))
            {
                _index++;
            }
        }

        if (IsWordPart(Peek()))
        {
            if (!IsWordPart(text[start]))
            {
                throw new FilterQlException(at, $"malformed number \"{text[start.._index]}{Peek()}\"");
            }

            _index = start;
            while (IsWordPart(Peek()))
            {
                _index++;
            }

            var word = text[start.._index];
            return new Token(TokenKind.Word, word, at, [new NamePart(word, false)]);
        }

        return Make(TokenKind.Number, text[start.._index], at);
    }

    private string ReadQuoted(char quote, SourcePosition at)
    {
        _index++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_index >= text.Length)
            {
                var what = quote == '"' ? "string" : "quoted name";
                throw new FilterQlException(at, $"unterminated {what}: expected a closing {quote}");
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
                if (escaped == '\n')
                {
                    _line++;
                    _lineStart = _index;
                }

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

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$' or '@';

    private static bool IsWordPart(char c) => IsWordStart(c) || char.IsAsciiDigit(c);

    private static Token Make(TokenKind kind, string text, SourcePosition at) => new(kind, text, at, []);
}
