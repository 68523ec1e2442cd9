namespace Sluice.Collect.Bulk;

/// <summary>How a bulk ingest treats its rows: the Lytics query parameters that apply to bulk.</summary>
internal sealed record BulkIngestOptions(bool DryRun, bool DropErrors, string? TimestampField);
