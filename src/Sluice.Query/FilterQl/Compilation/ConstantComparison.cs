using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// A comparison against a constant, with the constant's number, date and text forms worked out once. The fast paths
/// give exactly what <see cref="Comparisons.Compare"/> gives; anything unusual falls through to it.
/// </summary>
internal sealed class ConstantComparison
{
    private readonly CompareOp _op;
    private readonly Value _constant;
    private readonly Value? _number;
    private readonly long? _seconds;
    private readonly string? _text;
    private readonly bool _isLong;
    private readonly long _long;

    public ConstantComparison(CompareOp op, Value constant)
    {
        _op = op;
        _constant = constant;
        _number = constant.Kind == ValueKind.Date ? null : Comparisons.ToNumber(constant);
        _seconds = Comparisons.ToDate(constant) is { } d ? Comparisons.Seconds(d) : null;
        _text = constant.Kind == ValueKind.String ? constant.AsString() : null;
        _isLong = _number is { Kind: ValueKind.Long };
        _long = _isLong ? _number!.Value.AsLong() : 0;
    }

    public Tri Test(Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null:
                return TriExtensions.From(_op == CompareOp.NotEqual);
            case ValueKind.Long when _isLong:
                // Both whole numbers, the most common shape (visitct > 5): no conversions at all.
                return TriExtensions.From(_op.Holds(v.RawBits.CompareTo(_long)));
            case ValueKind.Long or ValueKind.Double when _number is { } n:
                return TriExtensions.From(_op.Holds(Value.CompareNumbers(v, n)));
            case ValueKind.Date when _seconds is { } s:
                return TriExtensions.From(_op.Holds(Comparisons.Seconds(v.AsDate()).CompareTo(s)));
            case ValueKind.String when _text is not null && _op is CompareOp.Equal or CompareOp.NotEqual:
                return TriExtensions.From(string.Equals(v.AsString(), _text, StringComparison.Ordinal) == (_op == CompareOp.Equal));
            default:
                return Comparisons.Compare(v, _op, _constant);
        }
    }

    /// <summary>
    /// Against date math evaluated at now. Text that does not read as a date is compared with the date math's own text
    /// for equality, as qlbridge does (<c>name != "now"</c> holds for a name), and cannot be ordered.
    /// </summary>
    public static Tri AgainstDateMath(Value v, CompareOp op, DateMath math, DateTimeOffset now)
    {
        if (v.Kind == ValueKind.Date)
        {
            return TriExtensions.From(op.Holds(Comparisons.Seconds(v.AsDate()).CompareTo(Comparisons.Seconds(math.Evaluate(now)))));
        }

        if (v.Kind == ValueKind.String && op is CompareOp.Equal or CompareOp.NotEqual && Comparisons.ToDate(v) is null)
        {
            return TriExtensions.From(string.Equals(v.AsString(), math.Text, StringComparison.Ordinal) == (op == CompareOp.Equal));
        }

        return Comparisons.Compare(v, op, Value.FromDate(math.Evaluate(now)));
    }
}
