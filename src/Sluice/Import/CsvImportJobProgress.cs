namespace Sluice.Import;

/// <summary>What an import job reports of its current run (totals over every run come from the ledger).</summary>
[GenerateSerializer, Immutable]
public sealed record CsvImportJobProgress(
    [property: Id(0)] string State,
    [property: Id(1)] long Rows,
    [property: Id(2)] long Stored,
    [property: Id(3)] long Rejected,
    [property: Id(4)] long Bytes,
    [property: Id(5)] double RowsPerSecond,
    [property: Id(6)] double BytesPerSecond,
    [property: Id(7)] string? CurrentFile,
    [property: Id(8)] long CurrentRead,
    [property: Id(9)] long CurrentSize,
    [property: Id(10)] int FilesSeen,
    [property: Id(11)] int FilesDone,
    [property: Id(12)] int FilesSkipped,
    [property: Id(13)] int FilesFailed,
    [property: Id(14)] string? Message,
    [property: Id(15)] DateTimeOffset? NextRun);
