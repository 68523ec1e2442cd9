using Sluice.Audiences;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Export.Braze;

/// <summary>
/// The work of one <c>braze-export-audience</c> job, one step at a time: read the account's membership feed from the
/// job's position (and, during a backfill or reconcile, the next page of the account's profiles), read each touched
/// profile's current state, compute each user's delta against what Braze was last told, send the deltas in batches,
/// and save the told state, the row log and the new position in one transaction. Steps overlap: while one step's
/// requests are out, the next step's reads are made and the previous step's save commits (saves in step order). A
/// step is repeatable: after a crash the same changes are read again, and the users of the steps that may have gone
/// out unsaved get their whole arrays set, so a value sent from an older profile state does not linger in Braze.
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

    // What the steps computed so far lead to (saved or not); Checkpoint is what the store holds.
    private ExportCheckpoint _cursor = new(0, null, 0, 0, 0);

    // The next step's reads, started while this step's requests are out.
    private Task<StepWork>? _prepared;

    // The previous step's save, running while this step's requests are out.
    private Task _saving = Task.CompletedTask;

    // Steps are numbered as their outcomes become known; _savedStep is the last one whose save committed.
    private long _step;
    private long _savedStep;

    // Told states of steps whose save may not have committed when the next step read the store: the newest per
    // profile, with its step. A step's read is corrected by those newer than the last save committed before it.
    private readonly Dictionary<long, (long Step, ToldState? Told)> _unsaved = [];

    private readonly ExportMinuteTally _minutes = new();

    // After a restart from a saved place, what the steps after it may have sent without saving is unknown: Braze may
    // hold values computed from older profile states. Feed entries up to the head seen at the start, and the first
    // pass pages, have their users' whole arrays set (reasserted) instead of a difference. A step's save commits before
    // the step after the next one sends, so at most two steps (two pass pages) went out unsaved.
    private long _uncertainFeedUntil;
    private int _uncertainPages;

    public ExportCheckpoint Checkpoint { get; private set; } = new(0, null, 0, 0, 0);

    /// <summary>Loads the job's place; a new job starts at the feed's head, with a backfill pass when it exports existing users.</summary>
    public async Task<bool> InitAsync(CancellationToken ct)
    {
        if (await state.LoadAsync(jobId, ct) is { } saved)
        {
            Checkpoint = _cursor = saved;
            _uncertainFeedUntil = await audiences.FeedHeadAsync(partitionNumber, ct);
            _uncertainPages = saved.Pass is null ? 0 : 2;
            return false;
        }
        var head = await audiences.FeedHeadAsync(partitionNumber, ct);
        var start = config.ExistingUsers ? new ExportCheckpoint(head, Backfill, 0, 0, await profiles.CountAsync(accountId, ct)) : new ExportCheckpoint(head, null, 0, 0, 0);
        await state.SaveAsync(jobId, start, [], [], ct);
        Checkpoint = _cursor = start;
        return true;
    }

    /// <summary>Starts a reconcile pass over every profile of the account (and every profile Braze was told about).</summary>
    public async Task StartReconcileAsync(CancellationToken ct)
    {
        // Work read ahead belongs to the old place; the previous step's save must land first.
        await DrainAsync();
        var start = Checkpoint with { Pass = Reconcile, PassAfter = 0, PassDone = 0, PassTotal = await profiles.CountAsync(accountId, ct) };
        await state.SaveAsync(jobId, start, [], [], ct);
        Checkpoint = _cursor = start;
    }

    /// <summary>
    /// Waits for the work a step left running (the next step's reads, the last step's save) and drops the reads: the
    /// exporter is stopping, failed a step, or is about to change its place. A save that failed is not retried here:
    /// its step is repeated from the saved place.
    /// </summary>
    public async Task DrainAsync()
    {
        if (_prepared is { } prepared)
        {
            _prepared = null;
            try
            {
                await prepared;
            }
            catch (Exception)
            {
                // Only reads: nothing of it was used.
            }
        }
        try
        {
            await _saving;
        }
        catch (Exception)
        {
            _saving = Task.CompletedTask;
            _cursor = Checkpoint;
        }
    }

    /// <summary>
    /// One step; returns how many users it looked at (0: nothing to do, wait for the feed). While the step's
    /// requests are out, the next step's feed, page, profiles and told states are read and decoded, and the
    /// previous step's told states and row log are saved; saves still commit one after another, in step order.
    /// </summary>
    public async Task<int> StepAsync(CancellationToken ct)
    {
        var work = await (_prepared ?? PrepareAsync(_cursor, Volatile.Read(ref _savedStep), ct));
        _prepared = null;
        if (work.Ids.Length == 0)
        {
            // Checkpoints are saved in order: the previous step's first.
            await _saving;
            _cursor = work.Next;
            if (work.Next != Checkpoint) await SaveStepAsync(_step, work.Next, [], [], [], ct);
            return 0;
        }

        var deltas = new List<(long ProfileId, ToldState? Before, UserDelta Delta)>(work.Ids.Length);
        foreach (var id in work.Ids)
        {
            var before = work.Told.GetValueOrDefault(id);
            // Told states of steps whose save this step's read may have missed.
            if (_unsaved.TryGetValue(id, out var newer) && newer.Step > work.SavedStep) before = newer.Told;
            var desired = work.Desired[id] ?? DesiredState.None;
            var delta = UserDelta.Compute(before, desired.Identifier, desired.Values, desired.Fields, work.Reassert.Contains(id), work.MayHoldUnsaved.Contains(id));
            if (delta.SkippedNoId) metrics.Skipped(1);
            deltas.Add((id, before, delta));
        }
        // Later steps read the store after this one did: what it had saved then, they have too.
        if (_unsaved.Count > 0)
        {
            foreach (var id in _unsaved.Where(u => u.Value.Step <= work.SavedStep).Select(u => u.Key).ToList()) _unsaved.Remove(id);
        }

        var merged = BrazeUserObject.Coalesce([.. deltas.SelectMany(d => d.Delta.Objects)]);
        // Read ahead while the requests are out: a step's reads and decoding then cost no time of their own.
        var cursor = work.Next;
        var savedBefore = Volatile.Read(ref _savedStep);
        _prepared = Task.Run(() => PrepareAsync(cursor, savedBefore, ct), ct);
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
            var gone = work.Desired[id] is null && before is not null;
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

        // One save at a time, in step order; this one runs while the next step's requests are out.
        await _saving;
        var step = ++_step;
        foreach (var (id, told) in updates) _unsaved[id] = (step, told);
        // Only now is the step's place the exporter's: a step that failed is read again.
        _cursor = work.Next;
        _saving = SaveStepAsync(step, work.Next, updates, rows, erased, ct);
        return work.Ids.Length;
    }

    private async Task SaveStepAsync(
        long step, ExportCheckpoint next, IReadOnlyCollection<KeyValuePair<long, ToldState?>> told, IReadOnlyList<ExportRow> rows,
        IReadOnlyCollection<string> erasedUsers, CancellationToken ct)
    {
        var minutes = _minutes.Take();
        try
        {
            await state.SaveAsync(jobId, next, told, rows, ct, erasedUsers, minutes);
        }
        catch
        {
            _minutes.Return(minutes);
            throw;
        }
        Volatile.Write(ref _savedStep, step);
        if (Checkpoint.Pass is { } pass && next.Pass is null) log.LogInformation("Export job {Job}: {Pass} finished over {Profiles} profiles", jobId, pass, next.PassDone);
        Checkpoint = next;
    }

    /// <summary>
    /// A step's reads from <paramref name="origin"/>: the feed's next page, a pass page when the feed leaves room, and
    /// each touched profile's current state (decoded; null when it is gone) and told state as the store has it.
    /// </summary>
    private async Task<StepWork> PrepareAsync(ExportCheckpoint origin, long savedStep, CancellationToken ct)
    {
        var dirty = new HashSet<long>();
        var reassert = new HashSet<long>();
        // Profiles whose feed entries a step before the restart may have sent without saving what it told Braze.
        var mayHoldUnsaved = new HashSet<long>();
        var feedSeq = origin.FeedSeq;
        foreach (var change in await audiences.ReadFeedAsync(partitionNumber, origin.FeedSeq, FeedPage, ct))
        {
            feedSeq = Math.Max(feedSeq, change.Seq);
            // An empty audience: the profile's identity values changed, and with them perhaps its Braze identifier.
            if (change.AccountId == accountId && (change.AudienceId.Length == 0 || valueByAudience.ContainsKey(change.AudienceId)))
            {
                dirty.Add(change.ProfileId);
                if (change.Seq <= _uncertainFeedUntil)
                {
                    reassert.Add(change.ProfileId);
                    mayHoldUnsaved.Add(change.ProfileId);
                }
            }
        }
        var next = origin with { FeedSeq = feedSeq };
        // A pass page only when the feed left room in this step: live changes never wait behind a backfill.
        if (origin.Pass is { } pass && dirty.Count < config.BatchSize * Concurrency)
        {
            var before = dirty.Count == 0 ? null : new HashSet<long>(dirty);
            next = await PassPageAsync(pass, next, dirty, reassert, ct);
            if (_uncertainPages > 0)
            {
                _uncertainPages--;
                reassert.UnionWith(before is null ? dirty : dirty.Except(before));
            }
        }
        if (dirty.Count == 0) return new StepWork(next, [], reassert, mayHoldUnsaved, new Dictionary<long, DesiredState?>(), new Dictionary<long, ToldState>(), savedStep);

        var ids = dirty.Order().ToArray();
        var currentTask = partition.GetProfilesAsync(accountId, ids);
        var told = await state.ToldAsync(jobId, ids, ct);
        var current = await currentTask;
        var desired = new Dictionary<long, DesiredState?>(ids.Length);
        foreach (var id in ids)
        {
            desired[id] = current.TryGetValue(id, out var snapshot) ? DesiredState.Of(ProfileDocument.Deserialize(snapshot.Doc), config, valueByAudience) : null;
        }
        return new StepWork(next, ids, reassert, mayHoldUnsaved, desired, told, savedStep);
    }

    /// <summary>What a step read: its place after it, the profiles it looks at, and their desired and told states.</summary>
    /// <param name="SavedStep">The last step whose save had committed before the told states were read.</param>
    private sealed record StepWork(
        ExportCheckpoint Next, long[] Ids, HashSet<long> Reassert, HashSet<long> MayHoldUnsaved, IReadOnlyDictionary<long, DesiredState?> Desired,
        IReadOnlyDictionary<long, ToldState> Told, long SavedStep);

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
                _minutes.Add(time.GetUtcNow(), 0, 0, 0, result.RateLimited);
                var half = batch.Length / 2;
                var left = await SendBatchAsync(batch[..half], ct);
                left.AddRange(await SendBatchAsync(batch[half..], ct));
                return left;
            case TrackOutcome.Rejected:
                metrics.Failed(1);
                _minutes.Add(time.GetUtcNow(), 0, 1, result.Attempts > 1 ? 1 : 0, result.RateLimited);
                return [(batch[0], (result.Message ?? "refused by Braze", result.Attempts))];
            default:
                var errors = result.Errors.ToDictionary(e => e.Index, e => e.Message);
                metrics.Failed(errors.Count);
                metrics.Sent(batch.Length - errors.Count, batch.Where((_, i) => !errors.ContainsKey(i)).Sum(o => o.DataPoints));
                _minutes.Add(time.GetUtcNow(), batch.Length - errors.Count, errors.Count, result.Attempts > 1 ? batch.Length : 0, result.RateLimited);
                return [.. batch.Select((o, i) => (o, (errors.GetValueOrDefault(i), result.Attempts)))];
        }
    }
}
