using Sluice.Query.FilterQl.Functions;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

internal sealed partial class CompilerSession
{
    private Predicate CompileComparison(ComparisonNode node)
    {
        var predicate = node.Operator switch
        {
            ComparisonOperator.In or ComparisonOperator.Intersects => CompileIn(node),
            ComparisonOperator.Contains => CompileContains(node),
            ComparisonOperator.Like => CompileLike(node),
            _ => CompileOrdering(node),
        };
        return node.Negated ? Negate(predicate) : predicate;
    }

    private Predicate CompileOrdering(ComparisonNode node)
    {
        var op = node.Operator switch
        {
            ComparisonOperator.Equal => CompareOp.Equal,
            ComparisonOperator.NotEqual => CompareOp.NotEqual,
            ComparisonOperator.Greater => CompareOp.Greater,
            ComparisonOperator.GreaterOrEqual => CompareOp.GreaterOrEqual,
            ComparisonOperator.Less => CompareOp.Less,
            _ => CompareOp.LessOrEqual,
        };

        // x == NULL and x != NULL ask whether x is missing, the way EXISTS does.
        if (node.Right is LiteralNode { Value.IsNull: true } || node.Left is LiteralNode { Value.IsNull: true })
        {
            var other = node.Right is LiteralNode { Value.IsNull: true } ? node.Left : node.Right;
            if (op is not (CompareOp.Equal or CompareOp.NotEqual))
            {
                throw new FilterQlException(node.Position, "NULL can only be compared with == or !=");
            }

            var exists = CompileExists(new ExistsNode(other, other.Position));
            return op == CompareOp.NotEqual ? exists : Negate(exists);
        }

        var left = CompileOperand(node.Left);
        var right = CompileOperand(node.Right);
        if (!left.IsDynamic && right.IsDynamic)
        {
            (left, right) = (right, left);
            op = op.Mirror();
        }

        if (right.DateMath is { } math && left.IsDynamic)
        {
            Probes.Add(new ComparisonProbe(left.Produce, op, math));
        }

        var produce = left.Produce;
        if (right.Constant is { } constant)
        {
            var test = new ConstantComparison(op, constant);
            if (left.Field?.SingleField is { } field)
            {
                return (e, _) => test.Test(e.TryGet(field, out var v) ? v : Value.Null);
            }

            return (e, now) => test.Test(produce(e, now));
        }

        if (right.DateMath is { } dateMath)
        {
            if (left.Field?.SingleField is { } field)
            {
                return (e, now) => e.TryGet(field, out var v)
                    ? ConstantComparison.AgainstDateMath(v, op, dateMath, now)
                    : TriExtensions.From(op == CompareOp.NotEqual);
            }

            return (e, now) => ConstantComparison.AgainstDateMath(produce(e, now), op, dateMath, now);
        }

        var rightValue = right.Produce;
        return (e, now) => Comparisons.Compare(produce(e, now), op, rightValue(e, now));
    }

    private Predicate CompileBetween(BetweenNode node)
    {
        var operand = CompileOperand(node.Operand);
        var lower = CompileBound(node.Lower);
        var upper = CompileBound(node.Upper);
        if (operand.IsDynamic && (lower.DateMath is not null || upper.DateMath is not null))
        {
            Probes.Add(new BetweenProbe(operand.Produce, lower.DateMath, upper.DateMath));
        }

        var (value, lo, hi) = (operand.Produce, lower.Produce, upper.Produce);
        Predicate between;
        if (lower.Constant is { } l && upper.Constant is { } u && Comparisons.ToNumber(l) is { } ln && Comparisons.ToNumber(u) is { } un)
        {
            // Numeric bounds known up front (score BETWEEN 10 AND 50): numbers compare directly.
            between = (e, now) =>
            {
                var v = value(e, now);
                return v.IsNumber
                    ? TriExtensions.From(Value.CompareNumbers(v, ln) > 0 && Value.CompareNumbers(v, un) < 0)
                    : Between(v, l, u);
            };
        }
        else
        {
            between = (e, now) => Between(value(e, now), lo(e, now), hi(e, now));
        }

        return node.Negated ? Negate(between) : between;
    }

    private Operand CompileBound(FilterNode node)
    {
        var bound = CompileOperand(node);
        if (bound.Constant is { } c && !(c.IsNumber || c.Kind is ValueKind.String or ValueKind.Date))
        {
            throw new FilterQlException(node.Position, "a BETWEEN bound must be a number or a date");
        }

        return bound;
    }

    /// <summary>Both bounds exclusive, as qlbridge; a list is between when any item is.</summary>
    private static Tri Between(Value v, Value lower, Value upper)
    {
        if (v.IsNull || lower.IsNull || upper.IsNull)
        {
            return Tri.False;
        }

        if (v.Kind == ValueKind.StringList)
        {
            foreach (var item in v.AsList())
            {
                if (Between(Value.FromString(item), lower, upper) == Tri.True)
                {
                    return Tri.True;
                }
            }

            return Tri.False;
        }

        var above = Comparisons.Scalar(v, CompareOp.Greater, lower);
        var below = Comparisons.Scalar(v, CompareOp.Less, upper);
        if (above == Tri.Unknown || below == Tri.Unknown)
        {
            return Tri.Unknown;
        }

        return TriExtensions.From(above == Tri.True && below == Tri.True);
    }

    /// <summary>
    /// <c>x IN (...)</c> and <c>x INTERSECTS (...)</c> mean the same: a value is in the list when it equals an item; a
    /// list when any of its items is; a map when any listed item is one of its keys. On the right, a list-valued field
    /// works like a literal list and a map field tests whether the left side is one of its keys.
    /// </summary>
    private Predicate CompileIn(ComparisonNode node)
    {
        var left = CompileOperand(node.Left);
        var right = CompileOperand(node.Right);
        var produce = left.Produce;
        if (right.Constant is { Kind: ValueKind.StringList } list && node.Right is ListNode)
        {
            var set = new InSet(list);
            if (left.Field?.SingleField is { } field)
            {
                return (e, _) => set.Test(e.TryGet(field, out var v) ? v : Value.Null);
            }

            return (e, now) => set.Test(produce(e, now));
        }

        var other = right.Produce;
        return (e, now) => InSet.InValue(produce(e, now), other(e, now));
    }

    /// <summary>
    /// Text contains a substring; a list when any item does; a map when it has the key. Other values cannot contain
    /// anything (unknown), as in qlbridge.
    /// </summary>
    private Predicate CompileContains(ComparisonNode node)
    {
        var left = CompileOperand(node.Left).Produce;
        var right = CompileOperand(node.Right).Produce;
        return (e, now) =>
        {
            var v = left(e, now);
            var part = right(e, now);
            if (v.IsNull || part.IsNull)
            {
                return Tri.False;
            }

            var text = Comparisons.Text(part);
            switch (v.Kind)
            {
                case ValueKind.String:
                    return TriExtensions.From(v.AsString().Contains(text, StringComparison.Ordinal));
                case ValueKind.StringList:
                    foreach (var item in v.AsList())
                    {
                        if (item.Contains(text, StringComparison.Ordinal))
                        {
                            return Tri.True;
                        }
                    }

                    return Tri.False;
                case ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap:
                    return TriExtensions.From(FieldAccess.HasKey(v, text));
                default:
                    return Tri.Unknown;
            }
        };
    }

    private Predicate CompileLike(ComparisonNode node)
    {
        var left = CompileOperand(node.Left).Produce;
        var right = CompileOperand(node.Right);
        if (right.Constant is { } c && c.Kind != ValueKind.String)
        {
            throw new FilterQlException(node.Right.Position, "LIKE expects a string pattern");
        }

        var fixedPattern = right.Constant is { } p ? new LikePattern(p.AsString()) : null;
        var pattern = right.Produce;
        return (e, now) =>
        {
            var v = left(e, now);
            if (v.IsNull)
            {
                return Tri.False;
            }

            var like = fixedPattern;
            if (like is null)
            {
                var text = pattern(e, now);
                if (text.Kind != ValueKind.String)
                {
                    return Tri.False;
                }

                like = new LikePattern(text.AsString());
            }

            switch (v.Kind)
            {
                case ValueKind.String:
                    return TriExtensions.From(like.IsMatch(v.AsString()));
                case ValueKind.StringList:
                    foreach (var item in v.AsList())
                    {
                        if (like.IsMatch(item))
                        {
                            return Tri.True;
                        }
                    }

                    return Tri.False;
                default:
                    return Tri.Unknown;
            }
        };
    }
}
