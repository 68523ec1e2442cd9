using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Applies the next batch of a partition's log to profiles: one transaction holds the profile changes and the new
/// log position, so a crash anywhere replays the batch from the last committed position and nothing is applied twice.
/// </summary>
internal sealed class ProfileProcessor(
    IEventLog log,
    IProfileStore profiles,
    IStreamMappings mappings,
    ProcessingProgress progress,
    IdentityIndexes indexes,
    IOptions<ProcessingOptions> options,
    IOptions<IdentityOptions> identity,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<ProfileProcessor> logger)
{
    private readonly Meter _meter = meters.Create("Sluice.Processing");

    internal ProcessingCounters Counters => field ??= new ProcessingCounters(_meter);

    /// <summary>Processes one batch; returns how many log events it consumed (0 when caught up).</summary>
    public async Task<int> ProcessBatchAsync(int partition, CancellationToken ct)
    {
        var index = indexes.For(partition);
        try
        {
            return await ProcessBatchAsync(partition, index, ct);
        }
        catch
        {
            // The transaction rolls back, but the index already holds the batch's identity changes.
            index.Invalidate();
            throw;
        }
    }

    /// <summary>Makes sure the partition's identity index is loaded and current (for lookups before any batch ran).</summary>
    public async Task<IdentityIndex> IndexAsync(int partition, CancellationToken ct)
    {
        var index = indexes.For(partition);
        await using var batch = await profiles.BeginBatchAsync(partition, ct);
        var (position, _, compacted) = await EnsureCurrentAsync(batch, index, ct);
        if (compacted) await batch.CommitAsync(position, ct);
        return index;
    }

    private async Task<int> ProcessBatchAsync(int partition, IdentityIndex index, CancellationToken ct)
    {
        await using var batch = await profiles.BeginBatchAsync(partition, ct);
        var (position, generation, compacted) = await EnsureCurrentAsync(batch, index, ct);
        var events = await log.ReadAsync(partition, position, options.Value.BatchSize, ct);
        if (events.Count == 0)
        {
            if (compacted) await batch.CommitAsync(position, ct);
            progress.Advance(partition, position);
            return 0;
        }
        var mapped = await MapAsync(events, ct);
        var resolver = new IdentityResolver(batch, index, identity.Value, Counters, time.GetUtcNow().ToUnixTimeMilliseconds());
        await resolver.PrepareAsync(mapped, ct);
        foreach (var (e, record) in mapped) resolver.Apply(e, record);
        await resolver.FlushAsync(ct);
        var last = events[^1].Seq;
        await batch.CommitAsync(last, ct);
        index.MarkValidAt(last, generation);
        progress.Advance(partition, last);
        Counters.Events.Add(events.Count);
        return events.Count;
    }

    /// <summary>
    /// Parses each event and runs its stream's mappings; records a WHERE clause excludes are dropped. Events are
    /// independent here, so this runs on every core while the rest of the batch is one sequential pass.
    /// </summary>
    private async Task<List<(LoggedEvent Event, MappedRecord Mapped)>> MapAsync(IReadOnlyList<LoggedEvent> events, CancellationToken ct)
    {
        var streamMappings = new IReadOnlyList<CompiledMapping>[events.Count];
        for (var i = 0; i < events.Count; i++) streamMappings[i] = await mappings.ForStreamAsync(events[i].AccountId, events[i].Stream, ct);

        var results = new MappedRecord[]?[events.Count];
        var failures = new string?[events.Count];
        Parallel.For(0, events.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            if (streamMappings[i].Count == 0) return;
            try
            {
                using var json = JsonDocument.Parse(events[i].Body);
                results[i] = [.. streamMappings[i].Select(m => m.Map(json.RootElement)).Where(r => r.Included)];
            }
            catch (JsonException ex)
            {
                failures[i] = ex.Message;
            }
        });

        var mapped = new List<(LoggedEvent, MappedRecord)>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (failures[i] is { } reason)
            {
                // Collect validates bodies, so this is damage; one bad event must never stall its partition.
                Counters.Skipped.Add(1);
                logger.LogWarning("Event {Seq} of stream {Stream} is not valid JSON and was skipped: {Reason}", events[i].Seq, events[i].Stream, reason);
                continue;
            }
            foreach (var record in results[i] ?? [])
            {
                if (record.Errors.Count > 0) Counters.FieldErrors.Add(record.Errors.Count);
                mapped.Add((events[i], record));
            }
        }
        return mapped;
    }

    /// <summary>
    /// Reloads the index from the journal unless it is valid at the stored position and generation. A journal grown
    /// past twice its live entries (merges and deletes leave superseded rows) is rewritten in the same transaction.
    /// </summary>
    private async Task<(long Position, long Generation, bool Compacted)> EnsureCurrentAsync(IProfileBatch batch, IdentityIndex index, CancellationToken ct)
    {
        var (position, generation) = await batch.PositionAsync(ct);
        if (index.IsValidAt(position, generation)) return (position, generation, false);

        index.Invalidate();
        var rows = await batch.ReadIdentityJournalAsync(index.Set, ct);
        var live = index.Count;
        var compact = rows > 2L * live + 10_000;
        if (compact) await batch.RewriteIdentityJournalAsync(index.Snapshot(), ct);
        index.MarkValidAt(position, generation);
        if (rows > 0) logger.LogInformation("Partition identity index loaded: {Values} values from {Rows} journal rows", live, rows);
        return (position, generation, compact);
    }
}

/// <summary>What the processor counts, for metrics and the benchmark.</summary>
internal sealed class ProcessingCounters(Meter meter)
{
    public Counter<long> Events { get; } = meter.CreateCounter<long>("sluice.processing.events", "{event}", "Log events processed");
    public Counter<long> Skipped { get; } = meter.CreateCounter<long>("sluice.processing.skipped", "{event}", "Events that could not be read");
    public Counter<long> Anonymous { get; } = meter.CreateCounter<long>("sluice.processing.anonymous", "{event}", "Mapped events without any identity");
    public Counter<long> FieldErrors { get; } = meter.CreateCounter<long>("sluice.processing.field_errors", "{field}", "Fields skipped because a KIND conversion failed");
    public Counter<long> Merges { get; } = meter.CreateCounter<long>("sluice.processing.merges", "{merge}", "Profiles merged into another");
    public Counter<long> Guarded { get; } = meter.CreateCounter<long>("sluice.processing.guarded", "{value}", "Identity values that stopped linking (guard rail)");
}
