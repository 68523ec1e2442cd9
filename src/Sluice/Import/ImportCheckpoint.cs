namespace Sluice.Import;

/// <summary>A file's new position and the rows it refused since the last one, written in the same transaction as the events.</summary>
internal sealed record ImportCheckpoint(ImportFileState State, IReadOnlyList<ImportRowError> Errors);
