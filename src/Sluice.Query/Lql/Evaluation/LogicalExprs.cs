using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>True when every operand is; stops at the first that is not. A loop, so long chains cost no stack.</summary>
internal sealed class AndExpr(Expr[] operands) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        foreach (var operand in operands)
        {
            if (!Truth.IsTrue(operand.Evaluate(record))) return Value.False;
        }
        return Value.True;
    }
}

/// <summary>True when any operand is; stops at the first that is.</summary>
internal sealed class OrExpr(Expr[] operands) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        foreach (var operand in operands)
        {
            if (Truth.IsTrue(operand.Evaluate(record))) return Value.True;
        }
        return Value.False;
    }
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
