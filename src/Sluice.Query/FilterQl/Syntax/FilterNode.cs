using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Syntax;

/// <summary>
/// A node of a parsed FilterQL expression, with the position its first token had in the statement's text.
/// Trees are shallow (the parser caps nesting) but may be very wide: AND and OR keep their operands in one list.
/// </summary>
public abstract record FilterNode(SourcePosition Position)
{
    /// <summary>The node as FilterQL text that parses back to an equivalent node.</summary>
    public sealed override string ToString() => FilterFormatter.Format(this);
}

public enum LogicalOperator
{
    And,
    Or,
}

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    In,
    Intersects,
    Contains,
    Like,
}

/// <summary><c>AND (a, b, ...)</c>, <c>OR (...)</c>, or the infix forms <c>a AND b</c>, gathered into one list.</summary>
public sealed record LogicalNode(LogicalOperator Operator, IReadOnlyList<FilterNode> Operands, SourcePosition Position)
    : FilterNode(Position);

public sealed record NotNode(FilterNode Operand, SourcePosition Position) : FilterNode(Position);

/// <summary>A binary operator; <see cref="Negated"/> for <c>NOT IN</c>, <c>NOT LIKE</c> and the like.</summary>
public sealed record ComparisonNode(
    FilterNode Left, ComparisonOperator Operator, bool Negated, FilterNode Right, SourcePosition Position)
    : FilterNode(Position);

/// <summary><c>x [NOT] BETWEEN lower AND upper</c>; both bounds are exclusive, as in qlbridge.</summary>
public sealed record BetweenNode(FilterNode Operand, FilterNode Lower, FilterNode Upper, bool Negated, SourcePosition Position)
    : FilterNode(Position);

public sealed record ExistsNode(FilterNode Operand, SourcePosition Position) : FilterNode(Position);

/// <summary><c>INCLUDE slug</c>: the other audience's filter, resolved when compiling.</summary>
public sealed record IncludeNode(string Slug, SourcePosition Position) : FilterNode(Position);

/// <summary><c>*</c> or <c>match_all</c>.</summary>
public sealed record MatchAllNode(SourcePosition Position) : FilterNode(Position);

/// <summary>A string, number, boolean or NULL. Date math (<c>"now-7d"</c>) is a string here; the compiler reads it.</summary>
public sealed record LiteralNode(Value Value, SourcePosition Position) : FilterNode(Position);

/// <summary>
/// A field or a path into a map field. <see cref="Parts"/> are the dotted parts; when <see cref="Quoted"/> is set
/// (some part was backticked or single-quoted) the first part is the field and the rest is the map key, otherwise the
/// split is found against the entity (<c>a.b.c</c> may be the field <c>a.b.c</c>, or key <c>c</c> of <c>a.b</c>, ...).
/// </summary>
public sealed record FieldNode(IReadOnlyList<string> Parts, bool Quoted, SourcePosition Position) : FilterNode(Position)
{
    public string Name => string.Join('.', Parts);
}

public sealed record FunctionNode(string Name, IReadOnlyList<FilterNode> Arguments, SourcePosition Position)
    : FilterNode(Position);

/// <summary>A literal list: <c>("a", "b")</c> after IN, or <c>["a", "b"]</c>.</summary>
public sealed record ListNode(IReadOnlyList<FilterNode> Items, SourcePosition Position) : FilterNode(Position);
