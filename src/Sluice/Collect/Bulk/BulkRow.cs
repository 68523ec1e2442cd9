namespace Sluice.Collect.Bulk;

/// <summary>
/// One row of a bulk file: its event as a JSON object the caller owns, or why the row was refused.
/// <see cref="Line"/> is the 1-based line of the input where the row starts (a quoted CSV field may span lines).
/// </summary>
internal readonly record struct BulkRow(long Line, byte[]? Json, string? Error)
{
    public static BulkRow Event(long line, byte[] json) => new(line, json, null);

    public static BulkRow Refused(long line, string reason) => new(line, null, $"line {line}: {reason}");
}
