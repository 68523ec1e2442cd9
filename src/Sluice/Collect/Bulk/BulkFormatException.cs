namespace Sluice.Collect.Bulk;

/// <summary>
/// The input cannot be read any further (a missing or broken header, a row too large to buffer): unlike a
/// refused row, there is no next row to go on with.
/// </summary>
internal sealed class BulkFormatException(long line, string message) : Exception(line > 0 ? $"line {line}: {message}" : message)
{
    /// <summary>The 1-based line where reading stopped, or 0 when it is not known.</summary>
    public long Line { get; } = line;
}
