using Sluice.BrazeSimulator.Store;

namespace Sluice.BrazeSimulator.Track;

internal enum InputArray
{
    Attributes,
    Events,
    Purchases,
}

/// <summary>One validated object of a <c>/users/track</c> request, ready to apply.</summary>
internal sealed record TrackObject(InputArray Array, int Index, UserRef User, bool UpdateExistingOnly, int DataPoints)
{
    public IReadOnlyList<AttributeUpdate> Attributes { get; init; } = [];

    public TrackEvent? Event { get; init; }

    public TrackPurchase? Purchase { get; init; }
}

internal abstract record AttributeUpdate(string Name);

/// <summary>Sets a scalar, a date, or a whole array (a bare array replaces); a null value removes the attribute.</summary>
internal sealed record SetAttribute(string Name, object? Value) : AttributeUpdate(Name);

/// <summary><c>{"add":[...],"remove":[...]}</c>: changes an array as a set.</summary>
internal sealed record ModifyArray(string Name, IReadOnlyList<object> Add, IReadOnlyList<object> Remove) : AttributeUpdate(Name);

/// <summary>A nested custom attribute: keys are merged into the stored object; null values remove keys.</summary>
internal sealed record MergeNested(string Name, Dictionary<string, object?> Patch) : AttributeUpdate(Name);

internal sealed record TrackEvent(string Name, DateTimeOffset Time);

internal sealed record TrackPurchase(string ProductId, string Currency, decimal Price, int Quantity, DateTimeOffset Time);

/// <summary>A per-object error in Braze's shape; <see cref="Index"/> is 0-based within <see cref="InputArray"/>.</summary>
internal sealed record TrackObjectError(string Type, string InputArray, int Index);
