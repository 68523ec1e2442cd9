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
        await using var batch = await profiles.BeginBatchAsync(partition, ct);
        var position = await batch.PositionAsync(ct);
        var events = await log.ReadAsync(partition, position, options.Value.BatchSize, ct);
        if (events.Count == 0)
        {
            progress.Advance(partition, position);
            return 0;
        }

        var resolver = new IdentityResolver(batch, identity.Value, Counters, time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var e in events)
        {
            var streamMappings = await mappings.ForStreamAsync(e.AccountId, e.Stream, ct);
            if (streamMappings.Count == 0) continue;
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(e.Body);
            }
            catch (JsonException ex)
            {
                // Collect validates bodies, so this is damage; one bad event must never stall its partition.
                Counters.Skipped.Add(1);
                logger.LogWarning("Event {Seq} of stream {Stream} is not valid JSON and was skipped: {Reason}", e.Seq, e.Stream, ex.Message);
                continue;
            }
            using (json)
            {
                foreach (var mapping in streamMappings)
                {
                    var mapped = mapping.Map(json.RootElement);
                    if (!mapped.Included) continue;
                    if (mapped.Errors.Count > 0) Counters.FieldErrors.Add(mapped.Errors.Count);
                    await resolver.ApplyAsync(e, mapped, ct);
                }
            }
        }
        await resolver.FlushAsync(ct);
        var last = events[^1].Seq;
        await batch.CommitAsync(last, ct);
        progress.Advance(partition, last);
        Counters.Events.Add(events.Count);
        return events.Count;
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
