using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Query.Values;

namespace Sluice.Query.FilterQl;

/// <summary>Ready-made <see cref="IFilterEntity"/> adapters.</summary>
public static class FilterEntity
{
    /// <summary>An entity with no fields.</summary>
    public static IFilterEntity Empty { get; } = new ValueEntity(new Dictionary<string, Value>());

    public static IFilterEntity FromValues(IReadOnlyDictionary<string, Value> fields) =>
        new ValueEntity(fields ?? throw new ArgumentNullException(nameof(fields)));

    /// <summary>Over stored field states (a decoded profile): reads each state's current value.</summary>
    public static IFilterEntity FromFieldValues(IReadOnlyDictionary<string, FieldValue> fields) =>
        new FieldValueEntity(fields ?? throw new ArgumentNullException(nameof(fields)));

    /// <summary>
    /// A JSON object as an entity, converted once: see <see cref="JsonEntityReader"/> for how JSON values become
    /// field values. Throws <see cref="ArgumentException"/> when the JSON is not an object.
    /// </summary>
    public static IFilterEntity FromJson(JsonElement entity) => new ValueEntity(JsonEntityReader.Read(entity));

    public static IFilterEntity FromJson(JsonObject entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var doc = JsonDocument.Parse(entity.ToJsonString());
        return FromJson(doc.RootElement);
    }

    public static IFilterEntity FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    private sealed class ValueEntity(IReadOnlyDictionary<string, Value> fields) : IFilterEntity
    {
        public bool TryGet(string field, out Value value) => fields.TryGetValue(field, out value);
    }

    private sealed class FieldValueEntity(IReadOnlyDictionary<string, FieldValue> fields) : IFilterEntity
    {
        public bool TryGet(string field, out Value value)
        {
            if (fields.TryGetValue(field, out var state))
            {
                value = state.Value;
                return true;
            }

            value = Value.Null;
            return false;
        }
    }
}
