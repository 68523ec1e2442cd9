using Sluice.Query.Values;

namespace Sluice.Query.Lql.Syntax;

/// <summary>Parsed expressions, before names are resolved and evaluators built.</summary>
internal abstract record ExprSyntax(Position Position);

internal sealed record LiteralSyntax(Value Value, Position Position) : ExprSyntax(Position);

/// <summary>A reference to a record field; <see cref="Parts"/> is the dotted path.</summary>
internal sealed record FieldSyntax(IReadOnlyList<string> Parts, bool Quoted, Position Position) : ExprSyntax(Position)
{
    public string Name => string.Join('.', Parts);
}

internal sealed record CallSyntax(string Name, IReadOnlyList<ExprSyntax> Arguments, Position Position) : ExprSyntax(Position);

internal sealed record NotSyntax(ExprSyntax Operand, Position Position) : ExprSyntax(Position);

internal sealed record ExistsSyntax(ExprSyntax Operand, Position Position) : ExprSyntax(Position);

internal sealed record BinarySyntax(BinaryOperator Operator, ExprSyntax Left, ExprSyntax Right, Position Position) : ExprSyntax(Position);

/// <summary>An AND or OR of two or more operands: chains are flat, however long, so nothing recurses per term.</summary>
internal sealed record LogicalSyntax(BinaryOperator Operator, IReadOnlyList<ExprSyntax> Operands, Position Position) : ExprSyntax(Position);

internal sealed record InSyntax(ExprSyntax Operand, IReadOnlyList<ExprSyntax> Items, Position Position) : ExprSyntax(Position);

internal enum BinaryOperator
{
    And,
    Or,
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Contains,
    Like,
}
