using Sluice.Query.Lql.Evaluation;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// An LQL function: its arity, how to build its evaluator from compiled arguments, the KIND a column gets
/// when it has no explicit KIND, and the merge operator it implies (aggregates) when there is no MERGEOP.
/// </summary>
internal sealed record FunctionDefinition(
    string Name,
    int MinArguments,
    int MaxArguments,
    Func<Expr[], Expr> Build,
    Func<IReadOnlyList<FieldKind>, FieldKind> KindOf,
    MergeOp? ImpliedMergeOp = null)
{
    public string ArityText => MinArguments == MaxArguments
        ? $"{MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : MaxArguments == int.MaxValue ? $"at least {MinArguments} argument{(MinArguments == 1 ? "" : "s")}" : $"{MinArguments} to {MaxArguments} arguments";
}
