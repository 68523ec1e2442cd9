namespace Sluice.Import;

/// <summary>
/// What import jobs remember of their files, kept beside the event log so that a file's position commits with its
/// events (see <see cref="EventLog.IEventLog.AppendAsync(IReadOnlyList{EventLog.NewEvent}, IReadOnlyList{ImportCheckpoint}, CancellationToken)"/>).
/// </summary>
internal interface IImportLedger
{
    Task<ImportFileState?> FindAsync(string jobId, string fileKey, CancellationToken ct);

    /// <summary>Every file the job has started or finished, oldest first.</summary>
    Task<IReadOnlyList<ImportFileState>> FilesAsync(string jobId, CancellationToken ct);

    /// <summary>Records a state that has no events with it (a file skipped as a duplicate).</summary>
    Task SaveAsync(ImportFileState state, CancellationToken ct);

    /// <summary>The job's refused rows in the order they were met.</summary>
    IAsyncEnumerable<ImportRowError> ErrorsAsync(string jobId, CancellationToken ct);
}
