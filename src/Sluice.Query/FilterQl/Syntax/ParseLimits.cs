namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// Bounds on what the parser accepts. They keep a hostile or broken statement from costing unbounded time or stack:
/// nesting past <see cref="MaxDepth"/> is an error rather than a deep recursion.
/// </summary>
public sealed record ParseLimits
{
    public static ParseLimits Default { get; } = new();

    /// <summary>The largest statement, in UTF-8 bytes.</summary>
    public int MaxBytes { get; init; } = 64 * 1024;

    /// <summary>The deepest nesting of parentheses, NOTs, AND/OR lists and function calls.</summary>
    public int MaxDepth { get; init; } = 100;
}
