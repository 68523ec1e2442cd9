using System.Text;
using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Evaluation;

/// <summary>
/// Reads a field from the record. A dotted path walks nested objects; if that finds nothing, the whole dotted
/// name is tried as one key, because flattened records (CSV headers, query strings) use dotted keys.
/// </summary>
internal sealed class FieldExpr : Expr
{
    private readonly byte[][] _parts;
    private readonly byte[] _flatName;

    public FieldExpr(IReadOnlyList<string> parts)
    {
        _parts = [.. parts.Select(Encoding.UTF8.GetBytes)];
        _flatName = Encoding.UTF8.GetBytes(string.Join('.', parts));
    }

    public override Value Evaluate(JsonElement record) => TryFind(record, out var found) ? JsonValues.ToValue(found) : Value.Null;

    /// <summary>The record's element for this field, if it has one (also for functions that read its structure, <c>json.jmespath</c>).</summary>
    public bool TryFind(JsonElement record, out JsonElement found)
    {
        found = default;
        if (record.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (_parts.Length == 1)
        {
            return record.TryGetProperty(_parts[0], out found);
        }

        var current = record;
        foreach (var part in _parts)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return record.TryGetProperty(_flatName, out found);
            }
        }

        found = current;
        return true;
    }
}
