using System.Text.RegularExpressions;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Audiences;

/// <summary>
/// The check a definition passes before it is saved: it parses, reads the <c>user</c> table, and compiles with its
/// INCLUDEs resolved against the account's other audiences and itself under its slug (so an unknown slug, a cycle
/// or a chain deeper than the limit fails here, with a position, and never at evaluation time).
/// </summary>
internal static partial class AudienceDefinitionCheck
{
    /// <summary>Parses a statement; throws <see cref="FilterQlException"/> for text that is not one, or for another table.</summary>
    public static FilterStatement Parse(string segmentQl)
    {
        var statement = FilterQlParser.Parse(segmentQl);
        if (!string.Equals(statement.From, "user", StringComparison.OrdinalIgnoreCase))
        {
            var (line, column) = TablePosition(segmentQl, statement.From);
            throw new FilterQlException(line, column, $"audiences are defined over the user table, not \"{statement.From}\"");
        }
        return statement;
    }

    /// <summary>Compiles <paramref name="statement"/> as the definition of <paramref name="slug"/>, replacing the audience <paramref name="replacingId"/>.</summary>
    public static CompiledFilter Compile(FilterStatement statement, string slug, string? replacingId, IEnumerable<Audience> existing) =>
        FilterCompiler.Compile(statement, Resolver(statement.Text, slug, replacingId, existing));

    /// <summary>A resolver over the account's audiences as they will be once this definition is saved.</summary>
    public static IAudienceResolver Resolver(string segmentQl, string slug, string? replacingId, IEnumerable<Audience> existing)
    {
        var candidate = new Audience("", "", slug, "", null, segmentQl, false, default, default);
        return AudienceRegistry.Resolver([.. existing.Where(a => a.Id != replacingId && a.Slug != slug), candidate]);
    }

    /// <summary>A resolver over an account's saved audiences, for statements that are not saved (validate, test, size).</summary>
    public static CompiledFilter CompileUnsaved(string segmentQl, IEnumerable<Audience> existing) =>
        FilterCompiler.Compile(Parse(segmentQl), AudienceRegistry.Resolver(existing));

    private static (int Line, int Column) TablePosition(string text, string table)
    {
        foreach (Match m in FromClause().Matches(text))
        {
            if (!m.Groups[1].Value.Trim('`', '\'', '"').Equals(table, StringComparison.OrdinalIgnoreCase)) continue;
            var before = text.AsSpan(0, m.Groups[1].Index);
            var line = before.Count('\n') + 1;
            return (line, m.Groups[1].Index - (before.LastIndexOf('\n') + 1) + 1);
        }
        return (1, 1);
    }

    [GeneratedRegex(@"\bFROM\s+(\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FromClause();
}
