using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>
/// A compiled expression: built once per mapping from the syntax tree, then evaluated for every record
/// without re-inspecting names or syntax.
/// </summary>
internal abstract class Expr
{
    public abstract Value Evaluate(JsonElement record);

    /// <summary>True when the result does not depend on the record, so it can be folded at compile time.</summary>
    public virtual bool IsConstant => false;
}

internal sealed class ConstantExpr(Value value) : Expr
{
    public Value Value { get; } = value;

    public override bool IsConstant => true;

    public override Value Evaluate(JsonElement record) => Value;
}

/// <summary>A function of one argument: most LQL functions.</summary>
internal sealed class UnaryCallExpr(Expr argument, Func<Value, Value> function) : Expr
{
    public override bool IsConstant => argument.IsConstant;

    public override Value Evaluate(JsonElement record) => function(argument.Evaluate(record));
}

/// <summary>A function of two arguments whose second is evaluated per record.</summary>
internal sealed class BinaryCallExpr(Expr first, Expr second, Func<Value, Value, Value> function) : Expr
{
    public override bool IsConstant => first.IsConstant && second.IsConstant;

    public override Value Evaluate(JsonElement record) => function(first.Evaluate(record), second.Evaluate(record));
}
