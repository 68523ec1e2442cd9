using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// A compiled value position. Besides the producer it keeps what the compiler can specialise on: a constant, a date
/// math expression (whose value depends on "now" only), or a plain field read.
/// </summary>
internal sealed class Operand
{
    private Operand(Producer produce, Value? constant, DateMath? dateMath, FieldAccess? field)
    {
        Produce = produce;
        Constant = constant;
        DateMath = dateMath;
        Field = field;
    }

    public Producer Produce { get; }

    public Value? Constant { get; }

    public DateMath? DateMath { get; }

    public FieldAccess? Field { get; }

    /// <summary>Whether the value depends on the entity (not only on constants and "now").</summary>
    public bool IsDynamic => Constant is null && DateMath is null;

    public static Operand Of(Value constant) => new((_, _) => constant, constant, null, null);

    public static Operand Of(DateMath dateMath) => new((_, now) => Value.FromDate(dateMath.Evaluate(now)), null, dateMath, null);

    public static Operand Of(FieldAccess field) => new((e, _) => field.Read(e), null, null, field);

    public static Operand Of(Producer produce) => new(produce, null, null, null);
}
