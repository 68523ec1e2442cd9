namespace Sluice.EventLog;

/// <summary>The durable, ordered event log. Everything downstream (profiles, audiences, exports) is derived from it.</summary>
internal interface IEventLog
{
    /// <summary>Appends in one transaction and returns, per event, its position. Returns only once durable.</summary>
    Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken ct) => AppendAsync(events, [], ct);

    /// <summary>
    /// Appends, and records the import positions in the same transaction, so a file's position never runs ahead of
    /// (or behind) its events.
    /// </summary>
    Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, IReadOnlyList<Import.ImportCheckpoint> checkpoints, CancellationToken ct);

    Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long afterSeq, int limit, CancellationToken ct);

    /// <summary>The highest position written to a partition (0 when empty).</summary>
    Task<long> HeadAsync(int partition, CancellationToken ct);

    Task<long> CountAsync(string accountId, CancellationToken ct);

    /// <summary>When the oldest event of a partition after a position was received (Unix ms), or null when there is none.</summary>
    Task<long?> ReceivedAfterAsync(int partition, long afterSeq, CancellationToken ct);

    /// <summary>An account's events in log order, read in pages (privacy deletes look for a person's raw events).</summary>
    IAsyncEnumerable<LoggedEvent> ScanAccountAsync(string accountId, CancellationToken ct);

    Task<int> DeleteAsync(IReadOnlyCollection<long> seqs, CancellationToken ct);
}
