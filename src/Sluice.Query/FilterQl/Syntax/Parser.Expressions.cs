using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Syntax;

internal sealed partial class Parser
{
    /// <summary>Words that start or join clauses and so cannot be bare field names (backtick them to use them so).</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IN", "INTERSECTS", "CONTAINS", "LIKE", "BETWEEN", "EXISTS", "INCLUDE",
        "FROM", "WITH", "ALIAS", "LIMIT", "FILTER", "SELECT", "WHERE",
    };

    /// <summary><c>a OR b OR ...</c>: operands gathered in a loop into one node.</summary>
    private FilterNode ParseExpression()
    {
        var first = ParseAnd();
        if (!Current.IsKeyword("OR"))
        {
            return first;
        }

        var operands = new List<FilterNode> { first };
        while (Current.IsKeyword("OR"))
        {
            Advance();
            operands.Add(ParseAnd());
        }

        return new LogicalNode(LogicalOperator.Or, operands, first.Position);
    }

    private FilterNode ParseAnd()
    {
        var first = ParseUnary();
        if (!Current.IsKeyword("AND"))
        {
            return first;
        }

        var operands = new List<FilterNode> { first };
        while (Current.IsKeyword("AND"))
        {
            Advance();
            operands.Add(ParseUnary());
        }

        return new LogicalNode(LogicalOperator.And, operands, first.Position);
    }

    /// <summary><c>NOT x</c> binds to one predicate: <c>NOT a IN (...)</c> negates the IN, as in qlbridge.</summary>
    private FilterNode ParseUnary()
    {
        if (!Current.IsKeyword("NOT"))
        {
            return ParsePredicate();
        }

        var not = Advance();
        Enter(not);
        var operand = ParseUnary();
        Leave();
        return new NotNode(operand, not.Position);
    }

    private FilterNode ParsePredicate()
    {
        var start = Current;
        if ((start.IsKeyword("AND") || start.IsKeyword("OR")) && PeekToken().Kind == TokenKind.LeftParen)
        {
            return ParseLogicalList();
        }

        if (start.Kind == TokenKind.LeftParen)
        {
            Advance();
            Enter(start);
            var inner = ParseExpression();
            Leave();
            ExpectClosing(TokenKind.RightParen, ")", start);
            return inner;
        }

        // exists(x) is the builtin function; EXISTS x the operator. They mean the same.
        if (start.IsKeyword("EXISTS") && PeekToken().Kind != TokenKind.LeftParen)
        {
            Advance();
            var operand = ParseOperand("a field after EXISTS");
            return new ExistsNode(operand, start.Position);
        }

        if (start.IsKeyword("INCLUDE"))
        {
            Advance();
            var slug = ExpectName("an audience slug after INCLUDE");
            return new IncludeNode(slug, start.Position);
        }

        var left = ParseOperand("a comparison, EXISTS, INCLUDE, NOT, AND (...) or OR (...)");
        return ParseOperator(left);
    }

    private FilterNode ParseOperator(FilterNode left)
    {
        var opToken = Current;
        var negated = false;
        if (opToken.IsKeyword("NOT") && IsNegatableOperator(PeekToken()))
        {
            negated = true;
            Advance();
        }

        var op = Current;
        ComparisonOperator? comparison = op.Kind switch
        {
            TokenKind.Equal or TokenKind.EqualEqual => ComparisonOperator.Equal,
            TokenKind.NotEqual => ComparisonOperator.NotEqual,
            TokenKind.Greater => ComparisonOperator.Greater,
            TokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            TokenKind.Less => ComparisonOperator.Less,
            TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
            _ when op.IsKeyword("IN") => ComparisonOperator.In,
            _ when op.IsKeyword("INTERSECTS") => ComparisonOperator.Intersects,
            _ when op.IsKeyword("CONTAINS") => ComparisonOperator.Contains,
            _ when op.IsKeyword("LIKE") => ComparisonOperator.Like,
            _ => null,
        };

        if (comparison is { } binary)
        {
            Advance();
            var right = binary is ComparisonOperator.In or ComparisonOperator.Intersects
                ? ParseListOrOperand(op)
                : ParseOperand($"a value after {op.Text.ToUpperInvariant()}");
            return new ComparisonNode(left, binary, negated, right, opToken.Position);
        }

        if (op.IsKeyword("BETWEEN"))
        {
            Advance();
            var lower = ParseOperand("a lower bound after BETWEEN");
            if (!Current.IsKeyword("AND"))
            {
                throw Expected("AND and an upper bound after BETWEEN's lower bound");
            }

            Advance();
            var upper = ParseOperand("an upper bound after BETWEEN ... AND");
            return new BetweenNode(left, lower, upper, negated, opToken.Position);
        }

        // No operator: the operand stands alone as a condition (a boolean field, a function such as exists(x), or
        // true/false). A field directly followed by a value is a missing operator, not two conditions.
        if (left is LiteralNode { Value.Kind: not ValueKind.Bool })
        {
            throw Expected($"an operator after {Describe(left)}");
        }

        if (Current.Kind is TokenKind.String or TokenKind.Number)
        {
            throw Expected($"an operator after {Describe(left)}");
        }

        return left;
    }

    private static bool IsNegatableOperator(Token token) =>
        token.IsKeyword("IN") || token.IsKeyword("INTERSECTS") || token.IsKeyword("CONTAINS")
        || token.IsKeyword("LIKE") || token.IsKeyword("BETWEEN");

    private static string Describe(FilterNode node) => node switch
    {
        FieldNode f => $"the field \"{f.Name}\"",
        FunctionNode f => $"{f.Name}(...)",
        LiteralNode l when l.Value.Kind == ValueKind.String => $"the string \"{l.Value}\"",
        LiteralNode l when l.Value.IsNull => "NULL",
        LiteralNode l => $"the value {l.Value}",
        _ => "the value",
    };

    /// <summary><c>AND ( a, b ... )</c>: commas are optional (newlines separate items too) and may trail.</summary>
    private LogicalNode ParseLogicalList()
    {
        var keyword = Advance();
        var open = Advance();
        Enter(open);
        var op = keyword.IsKeyword("AND") ? LogicalOperator.And : LogicalOperator.Or;
        var operands = new List<FilterNode>();
        while (true)
        {
            if (Current.Kind == TokenKind.RightParen)
            {
                if (operands.Count == 0)
                {
                    throw Expected($"a condition inside {keyword.Text.ToUpperInvariant()} (...)");
                }

                Advance();
                break;
            }

            if (Current.Kind == TokenKind.End)
            {
                throw UnclosedAt(open, ")");
            }

            operands.Add(ParseExpression());
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
            }
        }

        Leave();
        return new LogicalNode(op, operands, keyword.Position);
    }

    /// <summary>The right side of IN and INTERSECTS: a literal list, or one value such as a list-valued field.</summary>
    private FilterNode ParseListOrOperand(Token op)
    {
        if (Current.Kind != TokenKind.LeftParen)
        {
            return ParseOperand($"a list or a field after {op.Text.ToUpperInvariant()}");
        }

        return ParseList(TokenKind.RightParen, ")");
    }

    private ListNode ParseList(TokenKind close, string closeText)
    {
        var open = Advance();
        Enter(open);
        var items = new List<FilterNode>();
        while (Current.Kind != close)
        {
            if (Current.Kind == TokenKind.End)
            {
                throw UnclosedAt(open, closeText);
            }

            items.Add(ParseOperand($"a value or {closeText}"));
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
            }
        }

        Advance();
        Leave();
        return new ListNode(items, open.Position);
    }

    /// <summary>A value: a literal, a field or map path, a function call, or a bracketed list.</summary>
    private FilterNode ParseOperand(string what)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new LiteralNode(Value.FromString(token.Text), token.Position);
            case TokenKind.Number:
                Advance();
                return new LiteralNode(ParseNumber(token, negative: false), token.Position);
            case TokenKind.Minus when PeekToken().Kind == TokenKind.Number:
                Advance();
                return new LiteralNode(ParseNumber(Advance(), negative: true), token.Position);
            case TokenKind.LeftBracket:
                return ParseList(TokenKind.RightBracket, "]");
            case TokenKind.Word when token.Parts.Count == 1 && token.IsKeyword("true"):
                Advance();
                return new LiteralNode(Value.True, token.Position);
            case TokenKind.Word when token.Parts.Count == 1 && token.IsKeyword("false"):
                Advance();
                return new LiteralNode(Value.False, token.Position);
            case TokenKind.Word when token.Parts.Count == 1 && token.IsKeyword("null"):
                Advance();
                return new LiteralNode(Value.Null, token.Position);
            case TokenKind.Word when PeekToken().Kind == TokenKind.LeftParen:
                return ParseCall();
            case TokenKind.Word when token.Parts.Count == 1 && Reserved.Contains(token.Text):
                throw Expected(what);
            case TokenKind.Word or TokenKind.QuotedName:
                Advance();
                return new FieldNode(token.Parts.Select(p => p.Text).ToArray(), token.Kind == TokenKind.QuotedName, token.Position);
            default:
                throw Expected(what);
        }
    }

    private FunctionNode ParseCall()
    {
        var name = Advance();
        var open = Advance();
        Enter(open);
        var args = new List<FilterNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                if (Current.Kind == TokenKind.End)
                {
                    throw UnclosedAt(open, ")");
                }

                args.Add(ParseOperand($"an argument of {name.Text}(...)"));
                if (Current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }

                if (Current.Kind != TokenKind.RightParen)
                {
                    throw Expected($", or ) in the arguments of {name.Text}(...)");
                }

                break;
            }
        }

        Advance();
        Leave();
        return new FunctionNode(name.Text.ToLowerInvariant(), args, name.Position);
    }

    private void ExpectClosing(TokenKind kind, string text, Token open)
    {
        if (Current.Kind == kind)
        {
            Advance();
            return;
        }

        if (Current.Kind == TokenKind.End)
        {
            throw UnclosedAt(open, text);
        }

        throw Expected($"{text} to close the ( at {open.Position}");
    }

    private FilterQlException UnclosedAt(Token open, string close) =>
        new(Current.Position, $"expected {close} to close the {open.Text} at {open.Position} but found {Current.Display}");
}
