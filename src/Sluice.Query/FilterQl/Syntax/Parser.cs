using System.Globalization;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// Recursive descent over the statement clauses; the expression rules are in <c>Parser.Expressions.cs</c>.
/// Recursion only happens per level of nesting, which is capped, never per operand of a list or chain.
/// </summary>
internal sealed partial class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly ParseLimits _limits;
    private int _position;
    private int _depth;

    public Parser(string text, ParseLimits limits)
    {
        _text = text;
        _limits = limits;
        _tokens = Lexer.Tokenize(text);
    }

    private Token Current => _tokens[_position];

    private Token PeekToken(int ahead = 1) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];

    private Token Advance() => _tokens[_position++];

    public FilterStatement ParseStatement()
    {
        bool isSelect;
        if (Current.IsKeyword("FILTER"))
        {
            isSelect = false;
            Advance();
        }
        else if (Current.IsKeyword("SELECT"))
        {
            isSelect = true;
            Advance();
        }
        else
        {
            throw Expected("FILTER or SELECT at the start of the statement");
        }

        string? from = null;
        if (isSelect)
        {
            if (Current.Kind != TokenKind.Star)
            {
                throw Expected("* after SELECT (a filter selects whole profiles)");
            }

            Advance();
            if (Current.IsKeyword("FROM"))
            {
                Advance();
                from = ExpectName("a table name after FROM");
            }

            if (!Current.IsKeyword("WHERE") && !Current.IsKeyword("FILTER"))
            {
                throw Expected(from is null ? "FROM, WHERE or FILTER" : "WHERE or FILTER");
            }

            Advance();
        }

        var filter = ParseFilterBody();
        int? limit = null;
        Dictionary<string, Value>? with = null;
        string? alias = null;
        while (true)
        {
            if (!isSelect && from is null && Current.IsKeyword("FROM"))
            {
                Advance();
                from = ExpectName("a table name after FROM");
            }
            else if (limit is null && Current.IsKeyword("LIMIT"))
            {
                Advance();
                limit = ExpectLimit();
            }
            else if (with is null && Current.IsKeyword("WITH"))
            {
                Advance();
                with = ParseWith();
            }
            else if (alias is null && Current.IsKeyword("ALIAS"))
            {
                Advance();
                alias = ExpectName("a slug after ALIAS").ToLowerInvariant();
            }
            else
            {
                break;
            }
        }

        if (Current.Kind == TokenKind.Semicolon)
        {
            Advance();
        }

        if (Current.Kind != TokenKind.End)
        {
            throw Expected(ClauseHint(isSelect, from, limit, with, alias));
        }

        return new FilterStatement(
            _text,
            filter,
            from ?? "user",
            alias,
            (IReadOnlyDictionary<string, Value>?)with ?? new Dictionary<string, Value>(StringComparer.OrdinalIgnoreCase),
            limit,
            isSelect);
    }

    private static string ClauseHint(bool isSelect, string? from, int? limit, object? with, string? alias)
    {
        var options = new List<string> { "an operator" };
        if (!isSelect && from is null)
        {
            options.Add("FROM");
        }

        if (limit is null)
        {
            options.Add("LIMIT");
        }

        if (with is null)
        {
            options.Add("WITH");
        }

        if (alias is null)
        {
            options.Add("ALIAS");
        }

        return string.Join(", ", options) + " or the end of the statement";
    }

    /// <summary><c>*</c> and <c>match_all</c> are only special as the whole filter, as in qlbridge.</summary>
    private FilterNode ParseFilterBody()
    {
        if (Current.Kind == TokenKind.Star)
        {
            return new MatchAllNode(Advance().Position);
        }

        if (Current.IsKeyword("match_all") && IsClauseEnd(PeekToken()))
        {
            return new MatchAllNode(Advance().Position);
        }

        return ParseExpression();
    }

    private static bool IsClauseEnd(Token token) =>
        token.Kind is TokenKind.End or TokenKind.Semicolon
        || token.IsKeyword("FROM") || token.IsKeyword("LIMIT") || token.IsKeyword("WITH") || token.IsKeyword("ALIAS");

    private int ExpectLimit()
    {
        if (Current.Kind == TokenKind.Number && int.TryParse(Current.Text, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            Advance();
            return n;
        }

        throw Expected("a whole number after LIMIT");
    }

    private Dictionary<string, Value> ParseWith()
    {
        var options = new Dictionary<string, Value>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var keyToken = Current;
            var key = ExpectName("an option name after WITH");
            if (Current.Kind is not (TokenKind.Equal or TokenKind.EqualEqual))
            {
                throw Expected($"= after the option \"{key}\"");
            }

            Advance();
            Value value;
            if (Current.Kind == TokenKind.Minus && PeekToken().Kind == TokenKind.Number)
            {
                Advance();
                value = ParseNumber(Current, negative: true);
            }
            else
            {
                value = Current switch
                {
                    { Kind: TokenKind.String } t => Value.FromString(t.Text),
                    { Kind: TokenKind.Number } t => ParseNumber(t, negative: false),
                    var t when t.IsKeyword("true") => Value.True,
                    var t when t.IsKeyword("false") => Value.False,
                    { Kind: TokenKind.Word } t => Value.FromString(t.Text),
                    _ => throw Expected($"a value for the option \"{key}\""),
                };
            }

            Advance();
            if (!options.TryAdd(key, value))
            {
                throw new FilterQlException(keyToken.Position, $"the option \"{key}\" is given twice");
            }

            if (Current.Kind != TokenKind.Comma)
            {
                return options;
            }

            Advance();
        }
    }

    private string ExpectName(string what)
    {
        if (Current.IsName || Current.Kind == TokenKind.String)
        {
            return Advance().Text;
        }

        throw Expected(what);
    }

    private static Value ParseNumber(Token token, bool negative)
    {
        var text = negative ? "-" + token.Text : token.Text;
        return Coerce.ToNumber(text) ?? throw new FilterQlException(token.Position, $"the number {text} is out of range");
    }

    private FilterQlException Expected(string what) => new(Current.Position, $"expected {what} but found {Current.Display}");

    private void Enter(Token at)
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw new FilterQlException(at.Position, $"the expression nests deeper than {_limits.MaxDepth} levels");
        }
    }

    private void Leave() => _depth--;
}
