using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Query.FilterQl;

/// <summary>
/// Finds the saved definition behind <c>INCLUDE slug</c> when a statement is compiled. The included filter is
/// compiled into the including one, so a changed definition means recompiling the audiences whose
/// <see cref="CompiledFilter.Includes"/> name it.
/// </summary>
public interface IAudienceResolver
{
    /// <summary>The parsed definition of the audience with this slug, or null when there is none.</summary>
    FilterStatement? Resolve(string slug);
}

/// <summary>Simple resolvers over statements in memory.</summary>
public static class AudienceResolver
{
    /// <summary>Resolves slugs case-insensitively against the statements' ALIAS.</summary>
    public static IAudienceResolver FromStatements(IEnumerable<FilterStatement> statements)
    {
        var bySlug = new Dictionary<string, FilterStatement>(StringComparer.OrdinalIgnoreCase);
        foreach (var statement in statements)
        {
            if (statement.Alias is { } alias)
            {
                bySlug[alias] = statement;
            }
        }

        return new DictionaryResolver(bySlug);
    }

    public static IAudienceResolver FromDictionary(IReadOnlyDictionary<string, FilterStatement> bySlug) =>
        new DictionaryResolver(bySlug);

    private sealed class DictionaryResolver(IReadOnlyDictionary<string, FilterStatement> bySlug) : IAudienceResolver
    {
        public FilterStatement? Resolve(string slug) => bySlug.TryGetValue(slug, out var statement) ? statement : null;
    }
}
