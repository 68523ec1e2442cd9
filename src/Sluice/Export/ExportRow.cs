namespace Sluice.Export;

/// <summary>
/// One line of an export job's per-row log: the Braze user (identifier value), the values added and removed, whether
/// Braze took it (<c>sent</c>, <c>failed</c>), Braze's message for a failed row, how many attempts it took, and when.
/// </summary>
internal sealed record ExportRow(DateTimeOffset At, string User, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string Status, string? Error, int Attempts);
