using Sluice.Query.Lql;

namespace Sluice.Query.FilterQl;

/// <summary>
/// A FilterQL statement that cannot be used: a syntax error, an unknown function or audience, a wrong number of
/// arguments, a cycle of includes or a statement past a limit. <see cref="QueryException.Line"/> and
/// <see cref="QueryException.Column"/> are 1-based and point into the statement's own text.
/// </summary>
public sealed class FilterQlException(int line, int column, string reason) : QueryException(line, column, reason)
{
    internal FilterQlException(Syntax.SourcePosition position, string reason)
        : this(position.Line, position.Column, reason)
    {
    }
}
