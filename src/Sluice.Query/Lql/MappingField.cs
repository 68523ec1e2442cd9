using Sluice.Query.Values;

namespace Sluice.Query.Lql;

/// <summary>A profile field a mapping writes, as declared (or implied) by its column.</summary>
public sealed record MappingField(
    string Name,
    FieldKind Kind,
    MergeOp MergeOp,
    bool IsIdentity,
    string? ShortDescription,
    string? LongDescription);
