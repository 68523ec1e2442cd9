namespace Sluice.Collect.Bulk;

/// <summary>The row formats a bulk upload may hold.</summary>
internal enum BulkFormat
{
    Csv,
    Ndjson,
}
