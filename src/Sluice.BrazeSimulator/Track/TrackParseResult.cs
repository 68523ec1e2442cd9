namespace Sluice.BrazeSimulator.Track;

/// <summary>A request either fails as a whole (<see cref="FatalMessage"/>) or yields objects to apply plus
/// per-object errors.</summary>
internal sealed class TrackParseResult
{
    public string? FatalMessage { get; init; }

    public IReadOnlyList<string> FatalDetails { get; init; } = [];

    public List<TrackObject> Objects { get; } = [];

    public List<TrackObjectError> Errors { get; } = [];

    /// <summary>Object counts per array; -1 when the request did not carry that array.</summary>
    public int AttributesCount { get; set; } = -1;

    public int EventsCount { get; set; } = -1;

    public int PurchasesCount { get; set; } = -1;

    /// <summary>Nested attribute updates dropped because one of their values was invalid (Braze drops them silently).</summary>
    public int DroppedNestedUpdates { get; set; }

    public int TotalObjects => Math.Max(0, AttributesCount) + Math.Max(0, EventsCount) + Math.Max(0, PurchasesCount);

    public static TrackParseResult Fatal(string message, params string[] details) =>
        new() { FatalMessage = message, FatalDetails = details };
}
