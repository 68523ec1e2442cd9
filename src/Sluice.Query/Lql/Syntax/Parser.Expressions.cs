using System.Globalization;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Syntax;

/// <summary>Expressions, loosest binding first: OR, AND, NOT, comparisons, then primaries.</summary>
internal sealed partial class Parser
{
    private ExprSyntax ParseExpression() => ParseOr();

    private ExprSyntax ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            var op = Advance();
            left = new BinarySyntax(BinaryOperator.Or, left, ParseAnd(), op.Position);
        }

        return left;
    }

    private ExprSyntax ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            var op = Advance();
            left = new BinarySyntax(BinaryOperator.And, left, ParseNot(), op.Position);
        }

        return left;
    }

    private ExprSyntax ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            var not = Advance();
            return new NotSyntax(ParseNot(), not.Position);
        }

        return ParsePredicate();
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
