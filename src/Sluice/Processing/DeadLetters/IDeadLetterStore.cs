namespace Sluice.Processing.DeadLetters;

/// <summary>Where set-aside events are remembered. Their bodies stay in the event log.</summary>
internal interface IDeadLetterStore
{
    /// <summary>Sets an event aside; false when it already was (a replay after a crash meets it again).</summary>
    Task<bool> SetAsideAsync(DeadLetter letter, CancellationToken ct);

    /// <summary>The positions a partition's processing skips.</summary>
    Task<IReadOnlyList<long>> PositionsAsync(int partition, CancellationToken ct);

    Task<IReadOnlyList<DeadLetter>> ListAsync(string accountId, long afterSeq, int limit, CancellationToken ct);

    Task<long> CountSetAsideAsync(string accountId, CancellationToken ct);

    /// <summary>
    /// Moves set-aside events of an account (all of them, or the given positions) to the end of the log, so that
    /// processing takes them again, and forgets them here; in one transaction. Returns how many moved and the
    /// partitions they are in.
    /// </summary>
    Task<(int Replayed, IReadOnlySet<int> Partitions)> ReplayAsync(string accountId, IReadOnlyCollection<long>? seqs, CancellationToken ct);
}
