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
    /// Saves a step: told states (null forgets a profile), the checkpoint, and the row log lines; erases the row log
    /// lines of <paramref name="erasedUsers"/> (users whose profile is gone: a privacy delete leaves nothing of them);
    /// and adds <paramref name="minutes"/> to the job's per-minute counters (a minute already counted grows).
    /// </summary>
    Task SaveAsync(
        string jobId, ExportCheckpoint checkpoint, IReadOnlyCollection<KeyValuePair<long, ToldState?>> told, IReadOnlyList<ExportRow> rows,
        CancellationToken ct, IReadOnlyCollection<string>? erasedUsers = null, IReadOnlyCollection<ExportMinute>? minutes = null);

    /// <summary>
    /// The job's per-minute counters from <paramref name="since"/>, oldest first: objects sent, failed and retried,
    /// and 429 answers, for the job's chart and metrics. Minutes without any are left out.
    /// </summary>
    Task<IReadOnlyList<ExportMinute>> MinutesAsync(string jobId, DateTimeOffset since, CancellationToken ct);

    /// <summary>The newest row log lines, optionally of one status and one user, newest first.</summary>
    Task<IReadOnlyList<ExportRow>> RowsAsync(string jobId, string? status, string? user, int limit, CancellationToken ct);

    /// <summary>Drops row log lines older than <paramref name="before"/> (kept 30 days).</summary>
    Task PruneRowsAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Drops per-minute counters of minutes before <paramref name="before"/> (kept a little over 24 hours).</summary>
    Task PruneMinutesAsync(DateTimeOffset before, CancellationToken ct);

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
