using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>A function of any number of arguments, all evaluated per record.</summary>
internal sealed class NaryCallExpr(Expr[] arguments, Func<Value[], Value> function) : Expr
{
    public override bool IsConstant => arguments.All(a => a.IsConstant);

    public override Value Evaluate(JsonElement record)
    {
        var values = new Value[arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = arguments[i].Evaluate(record);
        }

        return function(values);
    }
}

/// <summary>A function of the whole record rather than of one field (<c>match("user.")</c>).</summary>
internal sealed class RecordCallExpr(Func<JsonElement, Value> function) : Expr
{
    public override Value Evaluate(JsonElement record) => function(record);
}

/// <summary>A value that changes with time but not with the record (<c>now()</c>): never folded at compile time.</summary>
internal sealed class ClockExpr(Func<Value> function) : Expr
{
    public override Value Evaluate(JsonElement record) => function();
}
