using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Profiles;

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
    TimeProvider time,
    IMeterFactory meters,
    ILogger<ProfileProcessor> logger)
{
    private readonly Meter _meter = meters.Create("Sluice.Processing");
    private Counter<long> Processed => field ??= _meter.CreateCounter<long>("sluice.processing.events", "{event}");
    private Counter<long> Skipped => field ??= _meter.CreateCounter<long>("sluice.processing.skipped", "{event}", "Events that could not be mapped");

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

        var work = new BatchWork(batch, time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var e in events)
        {
            var mapping = mappings.Find(e.AccountId, e.Stream);
            if (mapping is null) continue;
            MappedEvent mapped;
            try
            {
                mapped = mapping.Map(e.Body);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
            {
                // One bad event must never stall its partition: it stays in the log, is counted and skipped.
                Skipped.Add(1);
                logger.LogWarning("Event {Seq} of stream {Stream} could not be mapped and was skipped: {Reason}", e.Seq, e.Stream, ex.Message);
                continue;
            }
            await work.ApplyAsync(e, mapped, ct);
        }
        await work.FlushAsync(ct);
        var last = events[^1].Seq;
        await batch.CommitAsync(last, ct);
        progress.Advance(partition, last);
        Processed.Add(events.Count);
        return events.Count;
    }

    /// <summary>The profiles touched by one batch, kept in memory until the batch is flushed.</summary>
    private sealed class BatchWork(IProfileBatch batch, long nowMs)
    {
        private readonly Dictionary<(string Account, string Name, string Value), long> _ids = [];
        private readonly Dictionary<long, StoredProfile> _loaded = [];
        private readonly HashSet<long> _dirty = [];

        public async Task ApplyAsync(LoggedEvent e, MappedEvent mapped, CancellationToken ct)
        {
            // Events without any identity are kept in the log but build no profile (anonymous).
            if (mapped.Identities.Count == 0) return;

            var profile = await FindAsync(e.AccountId, mapped, ct) ?? await CreateAsync(e, ct);
            var doc = profile.Document;
            foreach (var (name, value) in mapped.Identities)
            {
                if (doc.AddIdentity(name, value))
                {
                    await batch.AddIdentityAsync(e.AccountId, name, value, profile.Id, ct);
                    _ids[(e.AccountId, name, value)] = profile.Id;
                }
            }
            foreach (var (field, value) in mapped.Fields)
            {
                FieldMerge.ApplyLatest(doc, field, value, e.EventTimeMs);
            }
            doc.EventsPerStream[e.Stream] = doc.EventsPerStream.GetValueOrDefault(e.Stream) + 1;
            profile.CreatedAtMs = Math.Min(profile.CreatedAtMs, e.EventTimeMs);
            profile.LastEventAtMs = Math.Max(profile.LastEventAtMs, e.EventTimeMs);
            profile.ModifiedAtMs = nowMs;
            _dirty.Add(profile.Id);
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            foreach (var id in _dirty)
            {
                await batch.UpdateAsync(_loaded[id], ct);
            }
        }

        private async Task<StoredProfile?> FindAsync(string accountId, MappedEvent mapped, CancellationToken ct)
        {
            foreach (var (name, value) in mapped.Identities)
            {
                var key = (accountId, name, value);
                if (!_ids.TryGetValue(key, out var id))
                {
                    if (await batch.FindProfileIdAsync(accountId, name, value, ct) is not { } found) continue;
                    id = _ids[key] = found;
                }
                if (_loaded.TryGetValue(id, out var cached)) return cached;
                if (await batch.LoadAsync(accountId, id, ct) is { } loaded) return _loaded[id] = loaded;
            }
            return null;
        }

        private async Task<StoredProfile> CreateAsync(LoggedEvent e, CancellationToken ct)
        {
            var profile = new StoredProfile
            {
                AccountId = e.AccountId,
                CreatedAtMs = e.EventTimeMs,
                ModifiedAtMs = nowMs,
                LastEventAtMs = e.EventTimeMs,
                Document = new ProfileDocument(),
            };
            profile.Id = await batch.InsertAsync(profile, ct);
            return _loaded[profile.Id] = profile;
        }
    }
}
