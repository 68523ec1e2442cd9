using Sluice.Query.Lql.Evaluation;

namespace Sluice.Query.Lql.Compilation;

internal sealed record CompiledColumn(MappingField Field, Expr Expression, Expr? Condition);
