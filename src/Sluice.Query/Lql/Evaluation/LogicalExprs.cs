using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

internal sealed class AndExpr(Expr left, Expr right) : Expr
{
    public override Value Evaluate(JsonElement record) =>
        Value.FromBool(Truth.IsTrue(left.Evaluate(record)) && Truth.IsTrue(right.Evaluate(record)));
}

internal sealed class OrExpr(Expr left, Expr right) : Expr
{
    public override Value Evaluate(JsonElement record) =>
        Value.FromBool(Truth.IsTrue(left.Evaluate(record)) || Truth.IsTrue(right.Evaluate(record)));
}

internal sealed class NotExpr(Expr operand) : Expr
{
    public override Value Evaluate(JsonElement record) => Value.FromBool(!Truth.IsTrue(operand.Evaluate(record)));
}

/// <summary>EXISTS is true for any value worth writing: not null, not blank, not an empty list or map.</summary>
internal sealed class ExistsExpr(Expr operand) : Expr
{
    public override Value Evaluate(JsonElement record) => Value.FromBool(!operand.Evaluate(record).IsEmpty);
}
