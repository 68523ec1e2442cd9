using Sluice.Audiences;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Export.Braze;

/// <summary>
/// The work of one <c>braze-export-audience</c> job, one step at a time: read the account's membership feed from the
/// job's position (and, during a backfill or reconcile, the next page of the account's profiles), read each touched
/// profile's current state, compute each user's delta against what Braze was last told, send the deltas in batches,
/// and save the told state, the row log and the new position in one transaction. A step is idempotent: after a crash
/// the same changes are read again and compared with the same told state, and add/remove are set operations.
/// </summary>
internal sealed class BrazeExporter(
    string accountId, string jobId, BrazeExportConfig config, BrazeWorkspace workspace, IReadOnlyDictionary<string, string> valueByAudience,
    IPartitionGrain partition, int partitionNumber, IAudienceStore audiences, IExportStateStore state, IProfileStore profiles, IBrazeTrackClient client,
    ExportMetrics metrics, TimeProvider time, ILogger log)
{
    public const string Backfill = "backfill";
    public const string Reconcile = "reconcile";

    private const int FeedPage = 2000;

    // A multiple of the largest batch (75): a page whose profiles are all members fills its requests exactly.
    private const int PassPage = 1050;

    // Requests in flight per step; the workspace's limiter still paces them to Braze's budget.
    private const int Concurrency = 8;

    public ExportCheckpoint Checkpoint { get; private set; } = new(0, null, 0, 0, 0);

    /// <summary>Loads the job's place; a new job starts at the feed's head, with a backfill pass when it exports existing users.</summary>
    public async Task<bool> InitAsync(CancellationToken ct)
    {
        if (await state.LoadAsync(jobId, ct) is { } saved)
        {
            Checkpoint = saved;
            return false;
        }
        var head = await audiences.FeedHeadAsync(partitionNumber, ct);
        Checkpoint = config.ExistingUsers ? new ExportCheckpoint(head, Backfill, 0, 0, await profiles.CountAsync(accountId, ct)) : new ExportCheckpoint(head, null, 0, 0, 0);
        await state.SaveAsync(jobId, Checkpoint, [], [], ct);
        return true;
    }

    /// <summary>Starts a reconcile pass over every profile of the account (and every profile Braze was told about).</summary>
    public async Task StartReconcileAsync(CancellationToken ct)
    {
        Checkpoint = Checkpoint with { Pass = Reconcile, PassAfter = 0, PassDone = 0, PassTotal = await profiles.CountAsync(accountId, ct) };
        await state.SaveAsync(jobId, Checkpoint, [], [], ct);
    }

    /// <summary>One step; returns how many users it looked at (0: nothing to do, wait for the feed).</summary>
    public async Task<int> StepAsync(CancellationToken ct)
    {
        var dirty = new HashSet<long>();
        var reassert = new HashSet<long>();
        var feedSeq = Checkpoint.FeedSeq;
        foreach (var change in await audiences.ReadFeedAsync(partitionNumber, Checkpoint.FeedSeq, FeedPage, ct))
        {
            feedSeq = Math.Max(feedSeq, change.Seq);
            // An empty audience: the profile's identity values changed, and with them perhaps its Braze identifier.
            if (change.AccountId == accountId && (change.AudienceId.Length == 0 || valueByAudience.ContainsKey(change.AudienceId))) dirty.Add(change.ProfileId);
        }
        var next = Checkpoint with { FeedSeq = feedSeq };
        // A pass page only when the feed left room in this step: live changes never wait behind a backfill.
        if (Checkpoint.Pass is { } pass && dirty.Count < config.BatchSize * Concurrency) next = await PassPageAsync(pass, next, dirty, reassert, ct);
        if (dirty.Count == 0)
        {
            if (next != Checkpoint) await SaveAsync(next, [], [], ct);
            return 0;
        }

        var ids = dirty.Order().ToArray();
        var current = await partition.GetProfilesAsync(accountId, ids);
        var told = await state.ToldAsync(jobId, ids, ct);
        var deltas = new List<(long ProfileId, ToldState? Before, UserDelta Delta)>(ids.Length);
        foreach (var id in ids)
        {
            var before = told.GetValueOrDefault(id);
            var desired = current.TryGetValue(id, out var snapshot)
                ? DesiredState.Of(ProfileDocument.Deserialize(snapshot.Doc), config, valueByAudience)
                : DesiredState.None;
            var delta = UserDelta.Compute(before, desired.Identifier, desired.Values, desired.Fields, reassert.Contains(id));
            if (delta.SkippedNoId) metrics.Skipped(1);
            deltas.Add((id, before, delta));
        }

        var merged = BrazeUserObject.Coalesce([.. deltas.SelectMany(d => d.Delta.Objects)]);
        var sent = await SendAsync([.. merged.Values.Distinct<BrazeUserObject>(ReferenceEqualityComparer.Instance)], ct);
        var outcomes = new Dictionary<BrazeUserObject, (string? Error, int Attempts)>(ReferenceEqualityComparer.Instance);
        foreach (var (original, user) in merged) outcomes[original] = sent[user];
        var updates = new List<KeyValuePair<long, ToldState?>>();
        var rows = new List<ExportRow>();
        var erased = new List<string>();
        var now = time.GetUtcNow();
        foreach (var (id, before, delta) in deltas)
        {
            var delivered = true;
            // A profile that is gone (deleted, or merged into another) takes its user's row log lines with it.
            var gone = !current.ContainsKey(id) && before is not null;
            foreach (var o in delta.Objects)
            {
                var (error, attempts) = outcomes[o];
                delivered &= error is null;
                if (gone && o.Identifier == before!.Identifier) continue;
                rows.Add(new ExportRow(now, o.Identifier, o.Add, o.Remove, error is null ? "sent" : "failed", error, attempts));
            }
            if (gone && delivered) erased.Add(before!.Identifier);
            // A failed row keeps the old told state, so the next change or a reconcile sends it again.
            if (delivered && !Same(before, delta.Told)) updates.Add(KeyValuePair.Create(id, delta.Told));
        }
        await SaveAsync(next, updates, rows, ct, erased);
        return ids.Length;
    }

    private async Task SaveAsync(
        ExportCheckpoint next, IReadOnlyCollection<KeyValuePair<long, ToldState?>> told, IReadOnlyList<ExportRow> rows, CancellationToken ct,
        IReadOnlyCollection<string>? erasedUsers = null)
    {
        await state.SaveAsync(jobId, next, told, rows, ct, erasedUsers);
        if (Checkpoint.Pass is { } pass && next.Pass is null) log.LogInformation("Export job {Job}: {Pass} finished over {Profiles} profiles", jobId, pass, next.PassDone);
        Checkpoint = next;
    }

    /// <summary>The next page of a backfill (members of the job's audiences) or a reconcile (every profile, and every profile told about).</summary>
    /// <remarks>A reconcile's profiles go to <paramref name="reassert"/>: Braze may hold anything for them, whatever Sluice told it.</remarks>
    private async Task<ExportCheckpoint> PassPageAsync(string pass, ExportCheckpoint next, HashSet<long> dirty, HashSet<long> reassert, CancellationToken ct)
    {
        var page = await profiles.ScanAsync(accountId, next.PassAfter, PassPage, ct);
        var last = page.Count > 0 ? page[^1].Id : long.MaxValue;
        foreach (var row in page)
        {
            if (pass == Reconcile)
            {
                dirty.Add(row.Id);
                reassert.Add(row.Id);
            }
            else if (ProfileDocumentBinary.ReadAudiences(row.Doc).Any(valueByAudience.ContainsKey))
            {
                dirty.Add(row.Id);
            }
        }
        if (pass == Reconcile)
        {
            // Profiles deleted or merged away since Braze was told about them are in no page of the scan.
            foreach (var id in await state.ToldProfilesAsync(jobId, next.PassAfter, PassPage, ct))
            {
                if (id <= last) dirty.Add(id);
            }
        }
        var done = next.PassDone + page.Count;
        return page.Count < PassPage
            ? next with { Pass = null, PassAfter = 0, PassDone = done }
            : next with { PassAfter = last, PassDone = done };
    }

    private static bool Same(ToldState? a, ToldState? b) =>
        a is null ? b is null : b is not null && a.Identifier == b.Identifier && a.Values.SequenceEqual(b.Values, StringComparer.Ordinal);

    /// <summary>
    /// Sends the objects in batches (several in flight), and answers, per object, Braze's error (null when applied)
    /// and the attempts its request took. A batch Braze refuses whole is split to find the objects it refuses.
    /// </summary>
    private async Task<Dictionary<BrazeUserObject, (string? Error, int Attempts)>> SendAsync(List<BrazeUserObject> objects, CancellationToken ct)
    {
        var outcomes = new Dictionary<BrazeUserObject, (string?, int)>(ReferenceEqualityComparer.Instance);
        using var gate = new SemaphoreSlim(Concurrency);
        var sends = objects.Chunk(config.BatchSize).Select(async batch =>
        {
            await gate.WaitAsync(ct);
            try
            {
                return await SendBatchAsync(batch, ct);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var results in await Task.WhenAll(sends))
        {
            foreach (var (o, outcome) in results) outcomes[o] = outcome;
        }
        return outcomes;
    }

    private async Task<List<(BrazeUserObject Object, (string? Error, int Attempts) Outcome)>> SendBatchAsync(BrazeUserObject[] batch, CancellationToken ct)
    {
        var result = await client.TrackAsync(workspace, [.. batch.Select(o => o.ToJson(config))], ct);
        metrics.Request(result.Attempts, result.RateLimited);
        switch (result.Outcome)
        {
            case TrackOutcome.Unauthorized or TrackOutcome.Forbidden:
                throw new ExportPausedException(result.Message ?? "Braze refused the API key");
            case TrackOutcome.Rejected when batch.Length > 1:
                // Braze names no object when it refuses a request: halves isolate the ones it refuses.
                var half = batch.Length / 2;
                var left = await SendBatchAsync(batch[..half], ct);
                left.AddRange(await SendBatchAsync(batch[half..], ct));
                return left;
            case TrackOutcome.Rejected:
                metrics.Failed(1);
                return [(batch[0], (result.Message ?? "refused by Braze", result.Attempts))];
            default:
                var errors = result.Errors.ToDictionary(e => e.Index, e => e.Message);
                metrics.Failed(errors.Count);
                metrics.Sent(batch.Length - errors.Count, batch.Where((_, i) => !errors.ContainsKey(i)).Sum(o => o.DataPoints));
                return [.. batch.Select((o, i) => (o, (errors.GetValueOrDefault(i), result.Attempts)))];
        }
    }
}
