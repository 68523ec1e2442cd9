namespace Sluice.Export;

/// <summary>
/// What an export job reports: delivery metrics since it was created on this node's activation, where the backfill
/// stands, and how far behind the membership feed it is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExportJobProgress(
    [property: Id(0)] string State,
    [property: Id(1)] long ObjectsSent,
    [property: Id(2)] long Requests,
    [property: Id(3)] long RateLimited,
    [property: Id(4)] long Retries,
    [property: Id(5)] long FailedRows,
    [property: Id(6)] long DataPoints,
    [property: Id(7)] long SkippedNoId,
    [property: Id(8)] long BackfillDone,
    [property: Id(9)] long BackfillTotal,
    [property: Id(10)] double BackfillRatePerSecond,
    [property: Id(11)] long FeedLag,
    [property: Id(12)] string? Message);
