namespace Sluice.Collect.Bulk;

/// <summary>
/// What a bulk ingest did. <see cref="Stored"/> rows are durable in the log (or, in a dry run, would have been).
/// When it stopped early, <see cref="StoppedAt"/> says why and <see cref="StoppedAtLine"/> where: every row before
/// that line is stored, nothing from it on.
/// </summary>
internal sealed record BulkOutcome(
    long Stored,
    long Rejected,
    IReadOnlyList<string> Errors,
    string? StoppedAt,
    long StoppedAtLine,
    Exception? SourceFailure);
