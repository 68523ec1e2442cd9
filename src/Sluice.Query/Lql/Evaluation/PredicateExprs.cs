using System.Text.Json;
using Sluice.Query.Lql.Syntax;
using Sluice.Query.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

internal sealed class CompareExpr(BinaryOperator op, Expr left, Expr right) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        var a = left.Evaluate(record);
        var b = right.Evaluate(record);
        if (op == BinaryOperator.Equal)
        {
            return Value.FromBool(Comparisons.AreEqual(a, b));
        }

        if (op == BinaryOperator.NotEqual)
        {
            return Value.FromBool(!Comparisons.AreEqual(a, b));
        }

        // A missing side makes every ordering false, as in SQL.
        if (Comparisons.Compare(a, b) is not { } c)
        {
            return Value.False;
        }

        return Value.FromBool(op switch
        {
            BinaryOperator.Greater => c > 0,
            BinaryOperator.GreaterOrEqual => c >= 0,
            BinaryOperator.Less => c < 0,
            _ => c <= 0,
        });
    }
}

internal sealed class InExpr(Expr operand, Expr[] items) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        var value = operand.Evaluate(record);
        foreach (var item in items)
        {
            if (Comparisons.AreEqual(value, item.Evaluate(record)))
            {
                return Value.True;
            }
        }

        return Value.False;
    }
}

/// <summary>Substring test for text; membership test for lists and map keys.</summary>
internal sealed class ContainsExpr(Expr haystack, Expr needle) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        var h = haystack.Evaluate(record);
        var n = needle.Evaluate(record);
        if (h.IsNull || n.IsNull)
        {
            return Value.False;
        }

        var text = n.ToString();
        return Value.FromBool(h.Kind switch
        {
            ValueKind.StringList => h.ListArray.Contains(text, StringComparer.Ordinal),
            ValueKind.StringMap => h.AsStringMap().ContainsKey(text),
            ValueKind.IntMap => h.AsIntMap().ContainsKey(text),
            ValueKind.TimeMap => h.AsTimeMap().ContainsKey(text),
            _ => h.ToString().Contains(text, StringComparison.Ordinal),
        });
    }
}

/// <summary>Glob match where <c>*</c> is any run of characters, ignoring case.</summary>
internal sealed class LikeExpr(Expr operand, Expr pattern) : Expr
{
    public override Value Evaluate(JsonElement record)
    {
        var value = operand.Evaluate(record);
        var p = pattern.Evaluate(record);
        if (value.IsNull || p.IsNull)
        {
            return Value.False;
        }

        if (value.Kind == ValueKind.StringList)
        {
            var glob = p.ToString();
            return Value.FromBool(value.ListArray.Any(item => Glob.IsMatch(item, glob, ignoreCase: true)));
        }

        return Value.FromBool(Glob.IsMatch(value.ToString(), p.ToString(), ignoreCase: true));
    }
}
