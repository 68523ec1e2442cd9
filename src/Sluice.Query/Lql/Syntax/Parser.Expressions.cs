using System.Globalization;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Syntax;

/// <summary>
/// Expressions, loosest binding first: OR, AND, NOT, comparisons, then primaries. Nesting (parentheses, calls,
/// NOTs) is limited to <see cref="MaxDepth"/> levels, so that no text can exhaust the stack here or in the compiler;
/// AND and OR chains of any length are gathered into one node without recursing per term.
/// </summary>
internal sealed partial class Parser
{
    public const int MaxDepth = 64;

    private int _depth;

    private ExprSyntax ParseExpression()
    {
        Enter(Current, 1);
        try
        {
            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    private void Enter(Token at, int levels)
    {
        _depth += levels;
        if (_depth > MaxDepth)
        {
            throw new QuerySyntaxException(at.Line, at.Column, $"expression nested more than {MaxDepth} levels deep");
        }
    }

    private ExprSyntax ParseOr() => ParseChain("OR", BinaryOperator.Or, ParseAnd);

    private ExprSyntax ParseAnd() => ParseChain("AND", BinaryOperator.And, ParseNot);

    private ExprSyntax ParseChain(string keyword, BinaryOperator op, Func<ExprSyntax> operand)
    {
        var first = operand();
        if (!Current.IsKeyword(keyword)) return first;
        var position = Current.Position;
        var operands = new List<ExprSyntax> { first };
        while (Current.IsKeyword(keyword))
        {
            Advance();
            operands.Add(operand());
        }

        return new LogicalSyntax(op, operands, position);
    }

    private ExprSyntax ParseNot()
    {
        var nots = new List<Token>();
        while (Current.IsKeyword("NOT"))
        {
            nots.Add(Advance());
        }
        if (nots.Count == 0) return ParsePredicate();

        Enter(nots[^1], nots.Count);
        try
        {
            var result = ParsePredicate();
            for (var i = nots.Count - 1; i >= 0; i--) result = new NotSyntax(result, nots[i].Position);
            return result;
        }
        finally
        {
            _depth -= nots.Count;
        }
    }

    private ExprSyntax ParsePredicate()
    {
        if (Current.IsKeyword("EXISTS"))
        {
            var exists = Advance();
            return new ExistsSyntax(ParsePrimary(), exists.Position);
        }

        var left = ParsePrimary();
        var token = Current;
        var comparison = token.Kind switch
        {
            TokenKind.Equal => BinaryOperator.Equal,
            TokenKind.NotEqual => BinaryOperator.NotEqual,
            TokenKind.Greater => BinaryOperator.Greater,
            TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
            TokenKind.Less => BinaryOperator.Less,
            TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
            _ => (BinaryOperator?)null,
        };
        if (comparison is { } op)
        {
            Advance();
            return new BinarySyntax(op, left, ParsePrimary(), token.Position);
        }

        // "x NOT IN (...)", "x NOT LIKE ..." and "x NOT CONTAINS ..." negate the whole predicate.
        var negated = false;
        if (token.IsKeyword("NOT") && (Peek(1).IsKeyword("IN") || Peek(1).IsKeyword("LIKE") || Peek(1).IsKeyword("CONTAINS")))
        {
            Advance();
            negated = true;
        }

        var predicate = ParseKeywordPredicate(left);
        if (predicate is null)
        {
            return negated ? throw Unexpected("IN, LIKE or CONTAINS") : left;
        }

        return negated ? new NotSyntax(predicate, token.Position) : predicate;
    }

    private ExprSyntax? ParseKeywordPredicate(ExprSyntax left)
    {
        var token = Current;
        if (token.IsKeyword("IN"))
        {
            Advance();
            Expect(TokenKind.LeftParen, "\"(\"");
            var items = new List<ExprSyntax> { ParsePrimary() };
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                items.Add(ParsePrimary());
            }

            Expect(TokenKind.RightParen, "\")\"");
            return new InSyntax(left, items, token.Position);
        }

        if (token.IsKeyword("CONTAINS") || token.IsKeyword("LIKE"))
        {
            Advance();
            var op = token.IsKeyword("LIKE") ? BinaryOperator.Like : BinaryOperator.Contains;
            return new BinarySyntax(op, left, ParsePrimary(), token.Position);
        }

        return null;
    }

    private ExprSyntax ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new LiteralSyntax(Value.FromString(token.Text), token.Position);
            case TokenKind.Number:
                Advance();
                return new LiteralSyntax(ParseNumber(token, negative: false), token.Position);
            case TokenKind.Minus when Peek(1).Kind == TokenKind.Number:
                Advance();
                return new LiteralSyntax(ParseNumber(Advance(), negative: true), token.Position);
            case TokenKind.LeftParen:
                Advance();
                var inner = ParseExpression();
                Expect(TokenKind.RightParen, "\")\"");
                return inner;
            case TokenKind.Identifier when token.IsKeyword("TRUE") || token.IsKeyword("FALSE"):
                Advance();
                return new LiteralSyntax(Value.FromBool(token.IsKeyword("TRUE")), token.Position);
            case TokenKind.Identifier when token.IsKeyword("NULL"):
                Advance();
                return new LiteralSyntax(Value.Null, token.Position);
            // qlbridge's contains(text, part) shares its name with the CONTAINS operator; a parenthesis tells them apart.
            case TokenKind.Identifier when token.IsKeyword("CONTAINS") && Peek(1).Kind == TokenKind.LeftParen:
                Advance();
                return ParseCall(token);
            case TokenKind.Identifier when !IsReserved(token):
                Advance();
                if (Current.Kind == TokenKind.LeftParen && !token.Quoted)
                {
                    return ParseCall(token);
                }

                return new FieldSyntax(token.Parts, token.Quoted, token.Position);
            default:
                throw Unexpected("an expression");
        }
    }

    private CallSyntax ParseCall(Token name)
    {
        Advance();
        var arguments = new List<ExprSyntax>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseExpression());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseExpression());
            }
        }

        Expect(TokenKind.RightParen, "\",\" or \")\"");
        return new CallSyntax(name.Text, arguments, name.Position);
    }

    private static Value ParseNumber(Token token, bool negative)
    {
        var text = negative ? "-" + token.Text : token.Text;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return Value.FromLong(l);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return Value.FromDouble(d);
        }

        throw new QuerySyntaxException(token.Line, token.Column, $"malformed number \"{token.Text}\"");
    }

    private Token Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];
}
