using System.Text.Json;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Processing;

namespace Sluice.Profiles;

/// <summary>
/// A privacy delete: the profile, its identity values, and the person's raw events in the log (found by mapping the
/// account's events and matching any of the profile's identity values), so that a rebuild cannot bring them back.
/// Runs inside the partition grain, between processing batches. The scan reads the account's whole log: deletes are
/// rare and must be complete rather than fast.
/// </summary>
internal sealed class ProfileDeletion(IProfileStore profiles, IEventLog log, IStreamMappings mappings, ProfileProcessor processor, ILogger<ProfileDeletion> logger)
{
    public async Task<(bool Deleted, int Events)> DeleteAsync(int partition, string accountId, long profileId, CancellationToken ct)
    {
        // The store must hold everything processing applied, so that the delete below is the last word on this profile.
        await processor.CheckpointAsync(partition, ct);
        var state = await processor.StateAsync(partition, ct);
        // A batch read ahead may hold the events about to be deleted: read it again afterwards.
        state.Prefetched = null;
        var profile = await profiles.LoadAsync(accountId, profileId, ct);
        if (profile is null) return (false, 0);

        var identities = profile.Document.Identities
            .SelectMany(kv => kv.Value.Select(v => (kv.Key, v)))
            .ToHashSet();
        var doomed = new List<long>();
        await foreach (var e in log.ScanAccountAsync(accountId, ct))
        {
            var streamMappings = await mappings.ForStreamAsync(accountId, e.Stream, ct);
            if (streamMappings.Count == 0) continue;
            using var json = JsonDocument.Parse(e.Body);
            if (streamMappings.Any(m => m.Map(json.RootElement).Identities.Any(i => identities.Contains((i.Key, i.Value)))))
            {
                doomed.Add(e.Seq);
            }
        }
        // Values on the document that point elsewhere (held by another profile past their guard rail) stay.
        var tombstones = identities
            .Where(i => state.Index.TryGet(accountId, i.Key, i.v, out var row) && row.ProfileId == profile.Id)
            .Select(i => new IdentityEntry(accountId, i.Key, i.v, default))
            .ToList();
        await profiles.DeleteAsync(partition, accountId, profile.Id, tombstones, ct);
        foreach (var t in tombstones) state.Index.Set(t);
        state.Profiles.Remove(profile.Id);
        var events = await log.DeleteAsync(doomed, ct);
        logger.LogInformation("Privacy delete of profile {ProfileId} removed {Events} raw events", profile.Id, events);
        return (true, events);
    }
}
