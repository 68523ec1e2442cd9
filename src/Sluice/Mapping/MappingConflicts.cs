using Sluice.Query.Lql;

namespace Sluice.Mapping;

/// <summary>
/// A profile field has one kind and one merge operator, whichever mapping writes it: two that disagree would make
/// the field's value depend on which stream wrote last. A new mapping that disagrees with one in effect is refused.
/// </summary>
internal static class MappingConflicts
{
    /// <summary>What is wrong with saving <paramref name="candidate"/> next to <paramref name="others"/>, or null.</summary>
    public static string? Find(CompiledMapping candidate, IEnumerable<CompiledMapping> others)
    {
        var seen = new Dictionary<string, (MappingField Field, string Alias)>(StringComparer.Ordinal);
        foreach (var other in others)
        {
            if (string.Equals(other.Alias, candidate.Alias, StringComparison.Ordinal)) continue;
            foreach (var f in other.Fields) seen.TryAdd(f.Name, (f, other.Alias));
        }
        foreach (var f in candidate.Fields)
        {
            if (seen.TryGetValue(f.Name, out var first) && (first.Field.MergeOp != f.MergeOp || first.Field.Kind != f.Kind))
            {
                return $"field \"{f.Name}\" is already written by mapping \"{first.Alias}\" as {Describe(first.Field)}; "
                    + $"this mapping writes it as {Describe(f)}. Use the same KIND and MERGEOP, or another field name";
            }
            seen.TryAdd(f.Name, (f, candidate.Alias));
        }
        return null;
    }

    private static string Describe(MappingField f) => $"KIND {FieldKinds.ToLql(f.Kind)} MERGEOP {f.MergeOp.ToString().ToUpperInvariant()}";
}
