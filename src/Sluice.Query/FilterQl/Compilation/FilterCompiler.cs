using System.Diagnostics.CodeAnalysis;
using Sluice.Query.FilterQl.Compilation;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Query.FilterQl;

/// <summary>Compiles parsed statements into <see cref="CompiledFilter"/>s.</summary>
public static class FilterCompiler
{
    /// <summary>The deepest chain of INCLUDEs a statement may have, as in qlbridge.</summary>
    public const int MaxIncludeDepth = 100;

    /// <summary>
    /// Compiles a statement, inlining the audiences it includes through <paramref name="resolver"/>. This is also the
    /// check to run before saving a definition: it throws <see cref="FilterQlException"/>, positioned in the statement's
    /// text, for an unknown function or audience, a wrong number of arguments, invalid date math, a BETWEEN bound that
    /// is not a number or date, an INCLUDE cycle, or includes nested deeper than <see cref="MaxIncludeDepth"/>.
    /// </summary>
    public static CompiledFilter Compile(FilterStatement statement, IAudienceResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var session = new CompilerSession(resolver);
        var predicate = session.CompileStatement(statement);
        return new CompiledFilter(statement, predicate, session.Fields, session.Includes, [.. session.Probes], session.IsTimeRelative);
    }

    /// <summary>
    /// Parses and compiles, reporting a problem instead of throwing it: what a validation endpoint needs. Only
    /// <see cref="FilterQlException"/> is caught.
    /// </summary>
    public static bool TryCompile(
        string text, IAudienceResolver? resolver, [NotNullWhen(true)] out CompiledFilter? filter, [NotNullWhen(false)] out FilterQlException? error)
    {
        try
        {
            filter = Compile(text, resolver);
            error = null;
            return true;
        }
        catch (FilterQlException ex)
        {
            filter = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Parses and compiles in one step.</summary>
    public static CompiledFilter Compile(string text, IAudienceResolver? resolver = null) =>
        Compile(FilterQlParser.Parse(text), resolver);
}
