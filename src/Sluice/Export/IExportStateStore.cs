namespace Sluice.Export;

/// <summary>
/// What an export job remembers: where it is in the membership feed and in a backfill or reconcile pass, what it
/// last told Braze for each profile (the identifier it used and the attribute values), and its per-row log.
/// Everything a step changes is saved in one transaction, so a replay after a crash recomputes the same deltas.
/// </summary>
internal interface IExportStateStore
{
    /// <summary>The job's checkpoint, or null before its first step.</summary>
    Task<ExportCheckpoint?> LoadAsync(string jobId, CancellationToken ct);

    /// <summary>What Braze was last told for these profiles (absent: nothing yet).</summary>
    Task<IReadOnlyDictionary<long, ToldState>> ToldAsync(string jobId, IReadOnlyCollection<long> profileIds, CancellationToken ct);

    /// <summary>Profiles Braze has been told something about, in id order after <paramref name="afterProfileId"/> (for reconcile).</summary>
    Task<IReadOnlyList<long>> ToldProfilesAsync(string jobId, long afterProfileId, int limit, CancellationToken ct);

    /// <summary>
    /// Saves a step: told states (null forgets a profile), the checkpoint, and the row log lines; and erases the row
    /// log lines of <paramref name="erasedUsers"/> (users whose profile is gone: a privacy delete leaves nothing of them).
    /// </summary>
    Task SaveAsync(
        string jobId, ExportCheckpoint checkpoint, IReadOnlyCollection<KeyValuePair<long, ToldState?>> told, IReadOnlyList<ExportRow> rows,
        CancellationToken ct, IReadOnlyCollection<string>? erasedUsers = null);

    /// <summary>
    /// The row log counted per minute from <paramref name="since"/>: rows sent, failed, retried (more than one attempt)
    /// and failed with Braze's 429, for the job's chart. Minutes without rows are left out.
    /// </summary>
    Task<IReadOnlyList<ExportMinute>> MinutesAsync(string jobId, DateTimeOffset since, CancellationToken ct);

    /// <summary>The newest row log lines, optionally of one status and one user, newest first.</summary>
    Task<IReadOnlyList<ExportRow>> RowsAsync(string jobId, string? status, string? user, int limit, CancellationToken ct);

    /// <summary>Drops row log lines older than <paramref name="before"/> (kept 30 days).</summary>
    Task PruneRowsAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Forgets a cancelled job's state (its row log stays until pruned).</summary>
    Task ForgetAsync(string jobId, CancellationToken ct);
}

/// <summary>The identifier a profile was last exported under and the attribute values Braze holds for it.</summary>
internal sealed record ToldState(string Identifier, IReadOnlyList<string> Values);

/// <summary>
/// Where a job stands: the last feed entry handled, and a pass over the account's profiles (a backfill, or a
/// reconcile) with its cursor and counts; <see cref="Pass"/> is null when none is under way.
/// </summary>
internal sealed record ExportCheckpoint(long FeedSeq, string? Pass, long PassAfter, long PassDone, long PassTotal);
