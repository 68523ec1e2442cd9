using Sluice.Query.Values;

namespace Sluice.Query.Lql;

/// <summary>One field an event writes: its value and how it merges into the profile.</summary>
public readonly record struct MappedField(string Name, Value Value, MergeOp MergeOp)
{
    /// <summary>The stored state this event contributes, stamped with the event's time.</summary>
    public FieldValue ToFieldValue(long eventTimeMs) => FieldValue.Create(Value, eventTimeMs);
}

/// <summary>A field that could not be mapped from this record (the rest of the record still is).</summary>
public readonly record struct FieldError(string Field, string Message);

/// <summary>What a mapping makes of one record.</summary>
public sealed class MappedRecord
{
    internal static readonly MappedRecord Excluded = new(false, [], [], []);

    internal MappedRecord(
        bool included,
        IReadOnlyList<KeyValuePair<string, string>> identities,
        IReadOnlyList<MappedField> fields,
        IReadOnlyList<FieldError> errors)
    {
        Included = included;
        Identities = identities;
        Fields = fields;
        Errors = errors;
    }

    /// <summary>False when the mapping's WHERE clause rejected the record; nothing else is filled then.</summary>
    public bool Included { get; }

    /// <summary>Identity field name and normalised value, one per value (an array field yields several).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Identities { get; }

    public IReadOnlyList<MappedField> Fields { get; }

    public IReadOnlyList<FieldError> Errors { get; }
}
