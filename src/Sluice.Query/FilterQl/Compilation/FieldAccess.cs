using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl.Compilation;

/// <summary>
/// Reads a field or a key of a map field. An unquoted dotted name is ambiguous (<c>a.b.c</c> may be the field
/// <c>a.b.c</c>, key <c>c</c> of field <c>a.b</c>, or key <c>b.c</c> of field <c>a</c>), so the splits are tried from the
/// longest field name down and the first present one wins.
/// </summary>
internal sealed class FieldAccess
{
    private readonly (string Field, string? Key)[] _candidates;

    // Interned, so that an entity whose field names are interned too (literals, names from a schema) compares them
    // by reference.
    private FieldAccess((string Field, string? Key)[] candidates) =>
        _candidates = candidates.Select(c => (string.Intern(c.Field), c.Key)).ToArray();

    public IEnumerable<string> FieldNames => _candidates.Select(c => c.Field);

    /// <summary>The one plain field this access reads, or null when it reads a map key or may split several ways.</summary>
    public string? SingleField => _candidates.Length == 1 && _candidates[0].Key is null ? _candidates[0].Field : null;

    public static FieldAccess For(FieldNode node)
    {
        var parts = node.Parts;
        if (parts.Count == 1)
        {
            return new FieldAccess([(parts[0], null)]);
        }

        if (node.Quoted)
        {
            return new FieldAccess([(parts[0], string.Join('.', parts.Skip(1)))]);
        }

        var candidates = new (string, string?)[parts.Count];
        for (var split = parts.Count; split >= 1; split--)
        {
            var field = string.Join('.', parts.Take(split));
            var key = split < parts.Count ? string.Join('.', parts.Skip(split)) : null;
            candidates[parts.Count - split] = (field, key);
        }

        return new FieldAccess(candidates);
    }

    public Value Read(IFilterEntity entity)
    {
        foreach (var (field, key) in _candidates)
        {
            if (!entity.TryGet(field, out var value) || value.IsNull)
            {
                continue;
            }

            if (key is null)
            {
                return value;
            }

            var item = MapItem(value, key);
            if (!item.IsNull)
            {
                return item;
            }
        }

        return Value.Null;
    }

    public static Value MapItem(Value map, string key) => map.Kind switch
    {
        ValueKind.StringMap => map.AsStringMap().TryGetValue(key, out var s) ? Value.FromString(s) : Value.Null,
        ValueKind.IntMap => map.AsIntMap().TryGetValue(key, out var l) ? Value.FromLong(l) : Value.Null,
        ValueKind.TimeMap => map.AsTimeMap().TryGetValue(key, out var t) ? Value.FromDate(t) : Value.Null,
        _ => Value.Null,
    };

    public static bool IsMap(Value v) => v.Kind is ValueKind.StringMap or ValueKind.IntMap or ValueKind.TimeMap;

    public static bool HasKey(Value map, string key) => map.Kind switch
    {
        ValueKind.StringMap => map.AsStringMap().ContainsKey(key),
        ValueKind.IntMap => map.AsIntMap().ContainsKey(key),
        ValueKind.TimeMap => map.AsTimeMap().ContainsKey(key),
        _ => false,
    };
}
