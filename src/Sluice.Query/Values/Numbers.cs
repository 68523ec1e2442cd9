namespace Sluice.Query.Values;

/// <summary>
/// Arithmetic for SUM and COUNT. Longs add exactly; anything fractional adds in decimal, which (unlike double)
/// is associative as long as totals stay within its precision, so sums do not depend on arrival order.
/// </summary>
internal static class Numbers
{
    public static Value AddCounts(Value a, Value b)
    {
        var x = a.Kind == ValueKind.Long ? a.AsLong() : 0;
        var y = b.Kind == ValueKind.Long ? b.AsLong() : 0;
        // Saturating keeps the operator associative where wrapping around would not.
        var sum = x + y;
        if (((x ^ sum) & (y ^ sum)) < 0)
        {
            sum = x < 0 ? long.MinValue : long.MaxValue;
        }

        return Value.FromLong(sum);
    }

    public static Value Add(Value a, Value b)
    {
        a = ToNumber(a);
        b = ToNumber(b);
        if (a.Kind == ValueKind.Long && b.Kind == ValueKind.Long)
        {
            var x = a.AsLong();
            var y = b.AsLong();
            var sum = x + y;
            if (((x ^ sum) & (y ^ sum)) >= 0)
            {
                return Value.FromLong(sum);
            }
        }

        var da = a.AsDouble();
        var db = b.AsDouble();
        if (Math.Abs(da) < 1e27 && Math.Abs(db) < 1e27)
        {
            return Value.FromDouble((double)(ToDecimal(a) + ToDecimal(b)));
        }

        return Value.FromDouble(da + db);
    }

    private static decimal ToDecimal(Value v) => v.Kind == ValueKind.Long ? v.AsLong() : (decimal)v.AsDouble();

    public static Value ToNumber(Value v) => v.Kind switch
    {
        ValueKind.Long or ValueKind.Double => v,
        ValueKind.Bool => Value.FromLong(v.AsBool() ? 1 : 0),
        ValueKind.String => Coerce.ToNumber(v.AsString()) ?? Value.FromLong(0),
        _ => Value.FromLong(0),
    };
}
