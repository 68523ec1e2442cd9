using System.Text.Json.Nodes;
using Sluice.Profiles;
using Sluice.Query.Values;

namespace Sluice.Mapping;

/// <summary>
/// Lytics' field info for one profile field: how many profiles have it, how many values it takes, and its most
/// frequent values with their counts, over the account's stored profiles (as of the last checkpoint).
/// </summary>
internal sealed class FieldInfo(string field)
{
    /// <summary>Distinct values counted at most, so that a field of unique values cannot take the node's memory.</summary>
    private const int MaxDistinct = 100_000;

    private readonly Dictionary<string, long> _terms = new(StringComparer.Ordinal);
    private long _present;
    private long _absent;
    private bool _capped;

    public void Add(ProfileDocument doc)
    {
        if (!doc.Fields.TryGetValue(field, out var stored) || stored.Value.Value.IsEmpty)
        {
            _absent++;
            return;
        }
        _present++;
        var value = stored.Value.Value;
        IEnumerable<string> terms = value.Kind switch
        {
            ValueKind.StringList => value.AsList(),
            ValueKind.StringMap => value.AsStringMap().Keys,
            ValueKind.IntMap => value.AsIntMap().Keys,
            ValueKind.TimeMap => value.AsTimeMap().Keys,
            _ => [value.ToString()],
        };
        foreach (var term in terms)
        {
            if (_terms.TryGetValue(term, out var n)) _terms[term] = n + 1;
            else if (_terms.Count < MaxDistinct) _terms[term] = 1;
            else _capped = true;
        }
    }

    public JsonObject ToJson(int limit) => new()
    {
        ["field"] = field,
        ["terms_counts"] = new JsonObject(_terms.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(limit)
            .Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
        ["more_terms"] = _capped || _terms.Count > limit,
        ["ents_present"] = _present,
        ["ents_absent"] = _absent,
        ["approx_cardinality"] = _terms.Count,
    };
}
