using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary><c>oneof(a, b, ...)</c>: the first argument with a value worth writing; later ones are not evaluated.</summary>
internal sealed class OneOfExpr(Expr[] options) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        foreach (var option in options)
        {
            var value = option.Evaluate(record);
            if (!value.IsEmpty)
            {
                return value;
            }
        }

        return Value.Null;
    }
}
