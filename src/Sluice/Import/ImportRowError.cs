namespace Sluice.Import;

/// <summary>A refused row: the file (or archive entry) it is in, its 1-based line, and why, never its values.</summary>
internal sealed record ImportRowError(string File, long Line, string Reason);
