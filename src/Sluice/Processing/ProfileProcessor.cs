using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sluice.Audiences;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Processing.DeadLetters;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Applies a partition's log to profiles. Batches apply to the partition's in-memory state (<see cref="PartitionState"/>:
/// identity index and profile cache); a checkpoint writes what changed, the merges, the identity journal entries and
/// the log position in one transaction. Checkpoints happen when the partition catches up with the log (so a live
/// partition checkpoints every batch), when the changed profiles fill half the cache (an eighth during a burst of new
/// people, <see cref="ProfileCache.WantsCheckpoint"/>), and at least every
/// <see cref="ProcessingOptions.CheckpointInterval"/>. A crash anywhere replays from the last checkpoint and nothing is
/// applied twice; a bulk backlog writes each profile once per checkpoint instead of once per batch.
/// No event can stall a partition: one whose mapping throws is set aside (<see cref="IDeadLetterStore"/>) and the
/// batch goes on; a batch that fails later, where the culprit is not known, is applied again one event at a time,
/// and the event that fails alone is set aside.
/// </summary>
internal sealed class ProfileProcessor(
    IEventLog log,
    IDeadLetterStore deadLetters,
    AudienceRegistry audiences,
    IProfileStore profiles,
    IStreamMappings mappings,
    ProcessingProgress progress,
    IOptions<ProcessingOptions> options,
    IOptions<IdentityOptions> identity,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<ProfileProcessor> logger)
{
    private readonly Meter _meter = meters.Create("Sluice.Processing");

    internal ProcessingCounters Counters => field ??= new ProcessingCounters(_meter);

    /// <summary>Batches smaller than this map their events on one thread.</summary>
    internal const int ParallelFrom = 64;

    /// <summary>Pending lists larger than this are let go after a checkpoint instead of kept for the next batches.</summary>
    internal const int KeepCapacity = 16 * 1024;

    private long CacheBudgetBytes => options.Value.ProfileCacheMegabytes * 1024L * 1024L;

    /// <summary>
    /// Processes one batch; returns how many log events it consumed or set aside (0 when caught up). Throws only for
    /// failures of the machinery (the store, the disk), which a later attempt retries.
    /// </summary>
    public async Task<int> ProcessBatchAsync(PartitionState state, CancellationToken ct)
    {
        var partition = state.Partition;
        var batch = new InFlight();
        state.CaughtUp = false;
        try
        {
            return await ProcessBatchAsync(partition, state, batch, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && batch.Events is { Count: > 0 } events && EventFault.IsCausedByInput(e))
        {
            // Memory may hold half a batch: drop it all, the next batch reloads and replays from the checkpoint.
            state.Invalidate();
            if (events.Count == 1)
            {
                await SetAsideAsync(state, events[0], "apply", EventFault.Describe(e), ct);
                return 1;
            }
            state.Isolating = (events[0].Seq, events[^1].Seq);
            logger.LogWarning("Partition {Partition} could not apply events {First} to {Last} ({Error}); applying them one at a time to set aside the one that fails",
                partition, events[0].Seq, events[^1].Seq, e.GetType().Name);
            return events.Count;
        }
        catch
        {
            state.Invalidate();
            throw;
        }
    }

    /// <summary>The events of the batch being applied, once read: what a failure is blamed on.</summary>
    private sealed class InFlight
    {
        public IReadOnlyList<LoggedEvent>? Events { get; set; }
    }

    private async Task SetAsideAsync(PartitionState state, LoggedEvent e, string stage, string reason, CancellationToken ct)
    {
        var partition = state.Partition;
        var added = await deadLetters.SetAsideAsync(
            new DeadLetter(e.Seq, e.AccountId, partition, e.Stream, stage, reason, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        if (state.IsLoaded) state.SetAside = state.SetAside.Add(e.Seq);
        if (!added) return;
        // Once per event, not once per replay; the error's type only, since its message may quote the event.
        Counters.DeadLetters.Add(1, new KeyValuePair<string, object?>("stage", stage));
        logger.LogWarning("Event {Seq} of stream {Stream} in partition {Partition} failed at the {Stage} stage ({Error}) and was set aside; see /api/stream/_deadletter",
            e.Seq, e.Stream, partition, stage, reason[..reason.IndexOf(':', StringComparison.Ordinal)]);
    }

    /// <summary>Loads the partition's state unless it is current (for lookups before any batch ran on this node).</summary>
    public async Task<PartitionState> StateAsync(PartitionState state, CancellationToken ct)
    {
        try
        {
            await EnsureCurrentAsync(state.Partition, state, ct);
            return state;
        }
        catch
        {
            state.Invalidate();
            throw;
        }
    }

    /// <summary>
    /// Evaluates every audience of an account over one page of its profiles, for a definition that was created or
    /// changed; the changes go to the feed like any other, with the current log position. Returns the last profile id
    /// of the page, or null after the last page. The store is made current first, so the page reads what memory holds.
    /// </summary>
    public async Task<long?> ReevaluateAsync(PartitionState state, string accountId, long afterId, int limit, CancellationToken ct)
    {
        await CheckpointAsync(state, ct);
        var account = await audiences.ForAccountAsync(accountId, ct);
        var page = await profiles.ScanAsync(accountId, afterId, limit, ct);
        var now = time.GetUtcNow();
        var changes = new List<(string AudienceId, bool Entered)>();
        foreach (var row in page)
        {
            var doc = ProfileDocument.Deserialize(row.Doc);
            changes.Clear();
            var entity = new ProfileEntity(doc, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs);
            MembershipEvaluation.Evaluate(account, doc, entity, account.All, now, changes);
            state.Timers.Schedule(row.Id, accountId, MembershipEvaluation.NextFlip(account, entity, now));
            if (changes.Count == 0) continue;
            state.Profiles.Update(row.Id, accountId, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs, doc.Serialize(), isNew: false);
            foreach (var (audience, entered) in changes)
            {
                state.PendingMembership.Add(new PendingChange(accountId, row.Id, audience, entered, now.ToUnixTimeMilliseconds(), state.Applied));
            }
        }
        if (state.HasPendingWork) await CheckpointAsync(state, ct);
        return page.Count < limit ? null : page[^1].Id;
    }

    /// <summary>
    /// Re-evaluates the time-relative audiences of the profiles whose scheduled instant has come (a profile leaves
    /// <c>new</c> seven days after <c>_created</c> with no event and no rescan), then checkpoints. Returns how many
    /// profiles were due.
    /// </summary>
    public async Task<int> FireDueTimersAsync(PartitionState state, CancellationToken ct)
    {
        await StateAsync(state, ct);
        var now = time.GetUtcNow();
        var due = state.Timers.TakeDue(now.ToUnixTimeMilliseconds());
        if (due.Count == 0) return 0;
        try
        {
            var changes = new List<(string AudienceId, bool Entered)>();
            foreach (var (profileId, accountId) in due)
            {
                var id = state.Profiles.Resolve(profileId);
                var row = state.Profiles.TryGet(id, out var cached) ? cached : (await profiles.LoadRowsAsync([id], ct)).SingleOrDefault();
                // Deleted since; a merged profile's survivor is evaluated in its place.
                if (row is null) continue;
                var account = await audiences.ForAccountAsync(accountId, ct);
                var doc = ProfileDocument.Deserialize(row.Doc);
                var entity = new ProfileEntity(doc, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs);
                changes.Clear();
                MembershipEvaluation.Evaluate(account, doc, entity, account.TimeRelative, now, changes);
                state.Timers.Schedule(row.Id, accountId, MembershipEvaluation.NextFlip(account, entity, now));
                if (changes.Count == 0) continue;
                state.Profiles.Update(row.Id, accountId, row.CreatedAtMs, row.ModifiedAtMs, row.LastEventAtMs, doc.Serialize(), row.IsNew);
                foreach (var (audience, entered) in changes)
                {
                    state.PendingMembership.Add(new PendingChange(accountId, row.Id, audience, entered, now.ToUnixTimeMilliseconds(), state.Applied));
                }
            }
            await CheckpointAsync(state.Partition, state, ct);
            return due.Count;
        }
        catch
        {
            state.Invalidate();
            throw;
        }
    }

    /// <summary>Writes everything applied so far (a privacy delete needs the store to be complete first).</summary>
    public async Task CheckpointAsync(PartitionState state, CancellationToken ct)
    {
        await StateAsync(state, ct);
        try
        {
            if (state.HasPendingWork) await CheckpointAsync(state.Partition, state, ct);
        }
        catch
        {
            state.Invalidate();
            throw;
        }
    }

    private async Task<int> ProcessBatchAsync(int partition, PartitionState state, InFlight inFlight, CancellationToken ct)
    {
        await EnsureCurrentAsync(partition, state, ct);
        var next = state.Prefetched is { } prefetched && prefetched.After == state.Applied
            ? await prefetched.Batch
            : await ReadAsync(partition, state.Applied, state.SetAside, ct);
        state.Prefetched = null;
        var (events, mapped, failed) = Isolate(state, next);
        inFlight.Events = events;
        foreach (var (e, reason) in failed) await SetAsideAsync(state, e, "map", reason, ct);
        if (events.Count == 0)
        {
            if (state.HasPendingWork)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await CheckpointAsync(partition, state, ct);
                Counters.Phase("checkpoint", ref started);
            }
            progress.Advance(partition, state.Applied);
            state.CaughtUp = true;
            return 0;
        }
        if (events.Count == options.Value.BatchSize)
        {
            // A backlog: read and map the next batch on the other core while this one applies (nothing below
            // changes the log, and applying is one sequential pass).
            var after = events[^1].Seq;
            var setAside = state.SetAside;
            state.ReadAhead(after, Task.Run(() => ReadAsync(partition, after, setAside, CancellationToken.None), CancellationToken.None));
        }

        var resolver = new IdentityResolver(state, profiles, identity.Value, Counters, time.GetUtcNow().ToUnixTimeMilliseconds());
        var since = System.Diagnostics.Stopwatch.GetTimestamp();
        await resolver.PrepareAsync(mapped, ct);
        Counters.Phase("prepare", ref since);
        foreach (var (e, record) in mapped) resolver.Apply(e, record);
        Counters.Phase("resolve", ref since);
        resolver.Finish(await AudiencesAsync(mapped, ct), ct);
        Counters.Phase("build", ref since);
        state.Applied = events[^1].Seq;
        state.Lag.Record(events, time.GetUtcNow());

        var caughtUp = events.Count < options.Value.BatchSize;
        if (caughtUp || state.Profiles.WantsCheckpoint(CacheBudgetBytes) ||
            time.GetElapsedTime(state.LastCheckpointTimestamp) >= options.Value.CheckpointInterval)
        {
            await CheckpointAsync(partition, state, ct);
            Counters.Phase("checkpoint", ref since);
        }
        // The profile API reads through the partition's state, so the batch is visible now, checkpointed or not.
        progress.Advance(partition, state.Applied);
        Counters.Events.Add(events.Count);
        // A batch cut short by isolation leaves the rest of what was read for the next one.
        state.CaughtUp = caughtUp && next.Events.Count < options.Value.BatchSize && state.Isolating is null;
        return events.Count;
    }

    private async Task CheckpointAsync(int partition, PartitionState state, CancellationToken ct)
    {
        await using var batch = await profiles.BeginBatchAsync(partition, ct);
        var (position, generation) = await batch.PositionAsync(ct);
        if (state.Checkpointed != (position, generation))
        {
            throw new PartitionMovedException(partition);
        }
        foreach (var (account, loser, survivor, at) in state.PendingMerges) await batch.RecordMergeAsync(account, loser, survivor, at, ct);
        await batch.SaveAsync(state.Profiles.Dirty(), ct);
        await batch.AppendIdentityJournalAsync(state.PendingIdentities, ct);
        await batch.AppendMembershipAsync(state.PendingMembership.ToDelta(), ct);
        await batch.SaveTimersAsync(state.Timers.Pending, ct);
        await batch.SaveStreamLagAsync(state.Lag.Unwritten(), state.Lag.PruneBefore(time.GetUtcNow()), ct);
        await batch.CommitAsync(state.Applied, ct);
        state.Lag.Committed(time.GetUtcNow());

        state.Checkpointed = (state.Applied, generation);
        state.PendingMerges.Clear();
        // Lets go of a burst's chunks and keeps the first (ChunkedList).
        state.PendingIdentities.Clear();
        state.PendingMembership.Clear();
        state.Timers.Pending.Clear();
        state.Profiles.MarkCheckpointed(CacheBudgetBytes);
        state.LastCheckpointTimestamp = time.GetTimestamp();
    }

    /// <summary>The compiled audiences of every account with events in the batch.</summary>
    private async Task<Dictionary<string, AccountAudiences>> AudiencesAsync(List<(LoggedEvent Event, MappedRecord Mapped)> mapped, CancellationToken ct)
    {
        var byAccount = new Dictionary<string, AccountAudiences>(StringComparer.Ordinal);
        foreach (var (e, _) in mapped)
        {
            if (!byAccount.ContainsKey(e.AccountId)) byAccount[e.AccountId] = await audiences.ForAccountAsync(e.AccountId, ct);
        }
        return byAccount;
    }

    /// <summary>
    /// While a failed batch is being isolated, the part of this batch to apply: the events before the failed range,
    /// or else its next event alone. Otherwise the batch as read.
    /// </summary>
    private static ReadBatch Isolate(PartitionState state, ReadBatch batch)
    {
        if (state.Isolating is not { } range) return batch;
        if (state.Applied >= range.Last || batch.Events.Count == 0)
        {
            state.Isolating = null;
            return batch;
        }
        var take = 0;
        while (take < batch.Events.Count && batch.Events[take].Seq < range.First) take++;
        if (take == 0) take = 1;
        if (take == batch.Events.Count) return batch;
        var last = batch.Events[take - 1].Seq;
        return new ReadBatch(
            [.. batch.Events.Take(take)], [.. batch.Mapped.Where(m => m.Event.Seq <= last)], [.. batch.Failed.Where(f => f.Event.Seq <= last)]);
    }

    private async Task<ReadBatch> ReadAsync(int partition, long after, IReadOnlySet<long> setAside, CancellationToken ct)
    {
        var events = await log.ReadAsync(partition, after, options.Value.BatchSize, ct);
        return events.Count == 0 ? new ReadBatch(events, [], []) : await MapAsync(events, setAside, ct);
    }

    /// <summary>
    /// Parses each event and runs its stream's mappings; records a WHERE clause excludes are dropped. Events are
    /// independent here, so this runs on every core while the rest of the batch is one sequential pass. An event that
    /// does not parse or whose mapping throws, whatever it throws, is returned as failed; set-aside events are skipped.
    /// </summary>
    private async Task<ReadBatch> MapAsync(IReadOnlyList<LoggedEvent> events, IReadOnlySet<long> setAside, CancellationToken ct)
    {
        var streamMappings = new IReadOnlyList<CompiledMapping>[events.Count];
        for (var i = 0; i < events.Count; i++) streamMappings[i] = await mappings.ForStreamAsync(events[i].AccountId, events[i].Stream, ct);

        var results = new MappedRecord[]?[events.Count];
        var failures = new string?[events.Count];
        // A live batch of a few events maps faster in a plain loop on this thread than Parallel.For can hand them out.
        if (events.Count >= ParallelFrom)
        {
            Parallel.For(0, events.Count, new ParallelOptions { CancellationToken = ct }, i => MapOne(events[i], streamMappings[i], setAside, results, failures, i));
        }
        else
        {
            for (var i = 0; i < events.Count; i++) MapOne(events[i], streamMappings[i], setAside, results, failures, i);
        }

        var mapped = new List<(LoggedEvent, MappedRecord)>(events.Count);
        var failed = new List<(LoggedEvent, string)>();
        for (var i = 0; i < events.Count; i++)
        {
            if (failures[i] is { } reason)
            {
                failed.Add((events[i], reason));
                continue;
            }
            foreach (var record in results[i] ?? [])
            {
                if (record.Errors.Count > 0) Counters.FieldErrors.Add(record.Errors.Count);
                mapped.Add((events[i], record));
            }
        }
        return new ReadBatch(events, mapped, failed);
    }

    private static void MapOne(LoggedEvent e, IReadOnlyList<CompiledMapping> mappings, IReadOnlySet<long> setAside, MappedRecord[]?[] results, string?[] failures, int i)
    {
        if (mappings.Count == 0 || setAside.Contains(e.Seq)) return;
        try
        {
            using var json = JsonDocument.Parse(e.Body);
            results[i] = Map(mappings, json.RootElement);
        }
        catch (Exception ex) when (EventFault.IsCausedByInput(ex))
        {
            // Collect validates bodies, so this is damage on disk or a mapping that cannot take this event.
            failures[i] = EventFault.Describe(ex);
        }
    }

    /// <summary>The records the stream's mappings make of one event, those a WHERE clause excludes left out.</summary>
    private static MappedRecord[] Map(IReadOnlyList<CompiledMapping> mappings, JsonElement record)
    {
        // Loops rather than LINQ: this runs for every event, and most streams have one mapping that includes it.
        if (mappings.Count == 1) return mappings[0].Map(record) is { Included: true } only ? [only] : [];
        var included = new List<MappedRecord>(mappings.Count);
        for (var m = 0; m < mappings.Count; m++)
        {
            if (mappings[m].Map(record) is { Included: true } r) included.Add(r);
        }
        return [.. included];
    }

    /// <summary>
    /// Reloads the partition's state unless it is current: loaded, and the stored position and generation are the
    /// ones it last checkpointed (a reprocess bumps the generation; another node moves the position). A journal
    /// grown past twice its live entries (merges leave superseded ones), or holding tombstones, is rewritten while loading.
    /// </summary>
    private async Task EnsureCurrentAsync(int partition, PartitionState state, CancellationToken ct)
    {
        if (state.IsLoaded && state.Checkpointed == await profiles.PositionAsync(partition, ct)) return;

        state.Invalidate();
        await using var batch = await profiles.BeginBatchAsync(partition, ct);
        var (position, generation) = await batch.PositionAsync(ct);
        var tombstones = 0L;
        var rows = await batch.ReadIdentityJournalAsync(e =>
        {
            if (e.Row.ProfileId == 0) tombstones++;
            state.Index.Set(e);
        }, ct);
        var live = state.Index.Count;
        // Read before a rewrite commits the batch, which ends its transaction.
        state.LastProfileId = await batch.LastProfileIdAsync(ct);
        await batch.ReadTimersAsync(state.Timers.Load, ct);
        // Tombstones come from journals written before privacy deletes erased entries: they hold the deleted values.
        if (rows > 2L * live + 10_000 || tombstones > 0)
        {
            await batch.RewriteIdentityJournalAsync(state.Index.Snapshot(), ct);
            await batch.CommitAsync(position, ct);
        }
        state.SetAside = [.. await deadLetters.PositionsAsync(partition, ct)];
        state.Applied = position;
        state.Checkpointed = (position, generation);
        state.LastCheckpointTimestamp = time.GetTimestamp();
        if (rows > 0) logger.LogInformation("Partition {Partition} loaded {Values} identity values from {Rows} journal entries", partition, live, rows);
    }
}

/// <summary>A batch as read from the log: its events, their mapped records, and the events whose mapping failed, with why.</summary>
internal sealed record ReadBatch(
    IReadOnlyList<LoggedEvent> Events, List<(LoggedEvent Event, MappedRecord Mapped)> Mapped, List<(LoggedEvent Event, string Reason)> Failed);

/// <summary>What the processor counts, for metrics and the benchmark.</summary>
internal sealed class ProcessingCounters(Meter meter)
{
    public Counter<long> Events { get; } = meter.CreateCounter<long>("sluice.processing.events", "{event}", "Log events processed");
    public Counter<long> DeadLetters { get; } = meter.CreateCounter<long>("sluice.processing.dead_letters", "{event}", "Events set aside because mapping or applying them threw (tag stage)");
    public Counter<long> Anonymous { get; } = meter.CreateCounter<long>("sluice.processing.anonymous", "{event}", "Mapped events without any identity");
    public Counter<long> FieldErrors { get; } = meter.CreateCounter<long>("sluice.processing.field_errors", "{field}", "Fields skipped because a KIND conversion failed");
    public Counter<long> Merges { get; } = meter.CreateCounter<long>("sluice.processing.merges", "{merge}", "Profiles merged into another");
    public Counter<long> Guarded { get; } = meter.CreateCounter<long>("sluice.processing.guarded", "{value}", "Identity values that stopped linking (guard rail)");

    /// <summary>Time per batch phase (tag <c>phase</c>: prepare, resolve, build, checkpoint), to see where processing goes.</summary>
    public Histogram<double> PhaseSeconds { get; } = meter.CreateHistogram<double>("sluice.processing.phase.duration", "s", "Time spent in each phase of a batch");

    public void Phase(string phase, ref long since)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        PhaseSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(since, now).TotalSeconds, new KeyValuePair<string, object?>("phase", phase));
        since = now;
    }
}
