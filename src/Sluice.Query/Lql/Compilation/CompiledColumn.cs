using Sluice.Query.Lql.Evaluation;

namespace Sluice.Query.Lql.Compilation;

/// <summary>
/// One column, ready to evaluate. <see cref="Sources"/> are the record fields its expression reads (in order, each a
/// dotted path's parts): what a stream is expected to carry, and how a looked-up value is normalised as this column
/// would normalise it.
/// </summary>
internal sealed record CompiledColumn(MappingField Field, Expr Expression, Expr? Condition, IReadOnlyList<IReadOnlyList<string>> Sources);
