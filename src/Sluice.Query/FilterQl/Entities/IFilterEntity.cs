using Sluice.Query.Values;

namespace Sluice.Query.FilterQl;

/// <summary>
/// The profile a compiled filter reads. Implement it over whatever the caller already holds (a decoded profile, a
/// dictionary, JSON): a filter only ever asks for top-level fields by name, and only for the names in
/// <see cref="CompiledFilter.Fields"/>. Names are compared as the implementation compares them; the adapters here
/// are ordinal (case-sensitive).
/// </summary>
public interface IFilterEntity
{
    /// <summary>The field's value; false (or a null value) when the profile has no such field.</summary>
    bool TryGet(string field, out Value value);
}
