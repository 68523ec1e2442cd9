using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// qlbridge evaluates to true, false, or "not ok" (a comparison between values it cannot compare, such as a word
/// ordered against a word). Unknown is that third state: AND stops at it, OR skips it, NOT keeps it, and a statement
/// that ends unknown does not match.
/// </summary>
internal enum Tri : byte
{
    False = 0,
    True = 1,
    Unknown = 2,
}

internal delegate Tri Predicate(IFilterEntity entity, DateTimeOffset now);

/// <summary>Produces an operand's value; <see cref="Value.Null"/> stands for missing (or a function that failed).</summary>
internal delegate Value Producer(IFilterEntity entity, DateTimeOffset now);

internal enum CompareOp : byte
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

internal static class TriExtensions
{
    public static Tri From(bool value) => value ? Tri.True : Tri.False;

    public static Tri Not(this Tri value) => value switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Unknown,
    };

    /// <summary>Swaps the sides: <c>5 &lt; x</c> is <c>x &gt; 5</c>.</summary>
    public static CompareOp Mirror(this CompareOp op) => op switch
    {
        CompareOp.Greater => CompareOp.Less,
        CompareOp.GreaterOrEqual => CompareOp.LessOrEqual,
        CompareOp.Less => CompareOp.Greater,
        CompareOp.LessOrEqual => CompareOp.GreaterOrEqual,
        _ => op,
    };

    public static bool Holds(this CompareOp op, int order) => op switch
    {
        CompareOp.Equal => order == 0,
        CompareOp.NotEqual => order != 0,
        CompareOp.Greater => order > 0,
        CompareOp.GreaterOrEqual => order >= 0,
        CompareOp.Less => order < 0,
        _ => order <= 0,
    };
}
