namespace Sluice.Query.FilterQl.Syntax;

/// <summary>A 1-based line and column in a statement's text.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition Start { get; } = new(1, 1);

    public override string ToString() => $"{Line}:{Column}";
}
