namespace Sluice.Query.Lql.Syntax;

/// <summary>
/// Recursive-descent parser for the LQL mapping subset:
/// <c>SELECT column, ... FROM stream INTO table BY f1 OR f2 [WHERE cond] [ALIAS name]</c>.
/// </summary>
internal sealed partial class Parser
{
    private static readonly string[] Reserved =
    [
        "SELECT", "FROM", "INTO", "BY", "WHERE", "ALIAS", "AS", "IF", "KIND", "MERGEOP", "SHORTDESC", "LONGDESC",
        "AND", "OR", "NOT", "EXISTS", "IN", "CONTAINS", "LIKE", "TRUE", "FALSE", "NULL",
    ];

    private readonly List<Token> _tokens;
    private int _position;

    private Parser(string text) => _tokens = Lexer.Tokenize(text);

    public static MappingSyntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseMapping();
    }

    private Token Current => _tokens[_position];

    private Token Advance() => _tokens[_position++];

    private MappingSyntax ParseMapping()
    {
        ExpectKeyword("SELECT");
        var columns = new List<ColumnSyntax> { ParseColumn() };
        while (Current.Kind == TokenKind.Comma)
        {
            Advance();
            columns.Add(ParseColumn());
        }

        ExpectKeyword("FROM");
        var stream = ExpectName("a stream name");
        ExpectKeyword("INTO");
        var table = ExpectName("a table name");
        ExpectKeyword("BY");
        var identities = new List<NameSyntax> { ExpectName("an identity field") };
        while (Current.IsKeyword("OR"))
        {
            Advance();
            identities.Add(ExpectName("an identity field"));
        }

        ExprSyntax? where = null;
        if (Current.IsKeyword("WHERE"))
        {
            Advance();
            where = ParseExpression();
        }

        NameSyntax? alias = null;
        if (Current.IsKeyword("ALIAS"))
        {
            Advance();
            alias = ExpectName("an alias");
        }

        if (Current.Kind == TokenKind.Semicolon)
        {
            Advance();
        }

        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected("end of query");
        }

        return new MappingSyntax(columns, stream, table, identities, where, alias);
    }

    private ColumnSyntax ParseColumn()
    {
        var expression = ParseExpression();
        NameSyntax? name = null, kind = null, mergeOp = null;
        ExprSyntax? condition = null;
        string? shortDesc = null, longDesc = null;
        if (Current.IsKeyword("AS"))
        {
            Advance();
            name = ExpectName("a field name");
        }

        // Lytics accepts the column modifiers in any order.
        while (true)
        {
            var modifier = Current;
            if (modifier.IsKeyword("IF"))
            {
                Advance();
                condition = Once(condition, modifier, ParseExpression());
            }
            else if (modifier.IsKeyword("KIND"))
            {
                Advance();
                kind = Once(kind, modifier, ParseKind());
            }
            else if (modifier.IsKeyword("MERGEOP"))
            {
                Advance();
                mergeOp = Once(mergeOp, modifier, ExpectName("a merge operator"));
            }
            else if (modifier.IsKeyword("SHORTDESC"))
            {
                Advance();
                shortDesc = Once(shortDesc, modifier, ExpectString());
            }
            else if (modifier.IsKeyword("LONGDESC"))
            {
                Advance();
                longDesc = Once(longDesc, modifier, ExpectString());
            }
            else
            {
                return new ColumnSyntax(expression, name, condition, kind, mergeOp, shortDesc, longDesc);
            }
        }
    }

    private static T Once<T>(T? existing, Token modifier, T parsed)
    {
        if (existing is not null)
        {
            throw new QuerySyntaxException(modifier.Line, modifier.Column, $"{modifier.Text.ToUpperInvariant()} given twice for one column");
        }

        return parsed;
    }

    /// <summary>Kinds such as <c>[]string</c> and <c>map[string]int</c> span several tokens.</summary>
    private NameSyntax ParseKind()
    {
        var start = Current;
        if (Current.Kind == TokenKind.LeftBracket)
        {
            Advance();
            Expect(TokenKind.RightBracket, "\"]\"");
            var element = ExpectName("an element kind");
            return new NameSyntax("[]" + element.Name, start.Position);
        }

        var name = ExpectName("a kind");
        if (Current.Kind != TokenKind.LeftBracket)
        {
            return name;
        }

        Advance();
        var key = ExpectName("a key kind");
        Expect(TokenKind.RightBracket, "\"]\"");
        var value = ExpectName("a value kind");
        return new NameSyntax($"{name.Name}[{key.Name}]{value.Name}", start.Position);
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            throw Unexpected(keyword);
        }

        Advance();
    }

    private NameSyntax ExpectName(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier || IsReserved(token))
        {
            throw Unexpected(what);
        }

        Advance();
        return new NameSyntax(token.Text, token.Position);
    }

    private string ExpectString()
    {
        if (Current.Kind != TokenKind.String)
        {
            throw Unexpected("a quoted string");
        }

        return Advance().Text;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(what);
        }

        return Advance();
    }

    internal static bool IsReservedWord(Token token) => IsReserved(token);

    private static bool IsReserved(Token token) =>
        !token.Quoted && token.Parts.Count == 1 && Reserved.Any(token.IsKeyword);

    private QuerySyntaxException Unexpected(string expected) =>
        new(Current.Line, Current.Column, $"expected {expected} but found {Current.Display}");
}
