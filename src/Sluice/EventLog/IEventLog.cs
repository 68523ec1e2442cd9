namespace Sluice.EventLog;

/// <summary>The durable, ordered event log. Everything downstream (profiles, audiences, exports) is derived from it.</summary>
internal interface IEventLog
{
    /// <summary>Appends in one transaction and returns, per event, its position. Returns only once durable.</summary>
    Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken ct);

    Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long afterSeq, int limit, CancellationToken ct);

    /// <summary>The highest position written to a partition (0 when empty).</summary>
    Task<long> HeadAsync(int partition, CancellationToken ct);

    Task<long> CountAsync(string accountId, CancellationToken ct);
}
