namespace Sluice.Collect.Bulk;

/// <summary>
/// One row of a bulk file: its event as a JSON object, or why the row was refused (<see cref="Error"/> not null).
/// <see cref="Line"/> is the 1-based line of the input where the row starts (a quoted CSV field may span lines).
/// </summary>
/// <remarks>
/// <see cref="Json"/> is valid until the next row is read: a reader may write every row into the same buffer, so a
/// consumer that keeps a row copies it (<see cref="ChunkBodies"/>).
/// </remarks>
internal readonly record struct BulkRow(long Line, ReadOnlyMemory<byte> Json, string? Error)
{
    public static BulkRow Event(long line, ReadOnlyMemory<byte> json) => new(line, json, null);

    public static BulkRow Refused(long line, string reason) => new(line, default, $"line {line}: {reason}");
}
