using System.Text.Json;
using Sluice.Audiences;
using Sluice.EventLog;
using Sluice.Mapping;
using Sluice.Processing;

namespace Sluice.Profiles;

/// <summary>
/// A privacy delete: the person's raw events in the log, the profile, and its identity values, so that neither a
/// rebuild nor the files on disk bring them back. Runs inside the partition grain, between processing batches. The
/// scan reads the account's whole log, one page at a time: deletes are rare and must be complete rather than fast.
/// <para>
/// An event is the person's when its stream's mappings give it one of the person's identity values, or when its raw
/// JSON holds one anywhere (<see cref="PersonMatcher"/>), on any stream, mapped or not. An event that cannot be
/// parsed or mapped is judged on its bytes alone; no single event can make the delete fail.
/// </para>
/// <para>
/// Order matters for a crash half way: the events go first, while the profile still names the values to look for,
/// so a delete that failed after them finds the profile again when it is retried.
/// </para>
/// </summary>
internal sealed class ProfileDeletion(
    IProfileStore profiles, IEventLog log, IStreamMappings mappings, ProfileProcessor processor, IErasureFlush flush, TimeProvider time, ILogger<ProfileDeletion> logger)
{
    public async Task<(bool Deleted, int Events)> DeleteAsync(PartitionState state, string accountId, long profileId, CancellationToken ct)
    {
        // The store must hold everything processing applied, so that the delete below is the last word on this profile.
        await processor.CheckpointAsync(state, ct);
        // A batch read ahead may hold the events about to be deleted: read it again afterwards.
        state.Prefetched = null;
        var profile = await profiles.LoadAsync(accountId, profileId, ct);
        if (profile is null) return (false, 0);

        // Values on the document that point elsewhere (held by another profile past their guard rail) belong to
        // someone else as much as to this person: they neither find events nor leave the index.
        var erased = profile.Document.Identities
            .SelectMany(kv => kv.Value.Select(v => (Key: kv.Key, Value: v)))
            .Where(i => !state.Index.TryGet(accountId, i.Key, i.Value, out var row) || row.ProfileId == profile.Id)
            .Select(i => new IdentityEntry(accountId, i.Key, i.Value, default))
            .UnionBy(state.Index.EntriesOf(accountId, profile.Id), e => (e.Name, e.Value))
            .ToList();
        var identities = erased.Select(e => (e.Name, e.Value)).ToHashSet();
        var matcher = new PersonMatcher(identities);

        var doomed = new List<long>();
        var unreadable = 0;
        await foreach (var e in log.ScanAccountAsync(accountId, ct))
        {
            var (theirs, readable) = await IsTheirsAsync(e, identities, matcher, ct);
            if (!readable) unreadable++;
            if (theirs) doomed.Add(e.Seq);
        }
        var events = await log.DeleteAsync(doomed, ct);

        await using (var batch = await profiles.BeginBatchAsync(state.Partition, ct))
        {
            // The checkpoint above made the store current, so the position stays; the person leaves every audience.
            var (position, _) = await batch.PositionAsync(ct);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await batch.AppendMembershipAsync(MembershipDelta.From([.. profile.Document.Audiences.Select(a => new PendingChange(accountId, profile.Id, a, false, now, position))]), ct);
            await batch.DeleteProfileAsync(accountId, profile.Id, erased, ct);
            await batch.CommitAsync(position, ct);
        }
        // A default row is a removal: the index forgets the values as the journal just did.
        foreach (var e in erased) state.Index.Set(e with { Row = default });
        state.Profiles.Remove(profile.Id);

        await flush.FlushAsync(ct);
        logger.LogInformation("Privacy delete of profile {ProfileId} removed {Events} raw events ({Unreadable} judged on their bytes alone)",
            profile.Id, events, unreadable);
        return (true, events);
    }

    /// <summary>Whether an event is the person's, and whether it could be read (parsed and mapped) to decide.</summary>
    private async Task<(bool Theirs, bool Readable)> IsTheirsAsync(LoggedEvent e, HashSet<(string, string)> identities, PersonMatcher matcher, CancellationToken ct)
    {
        var streamMappings = await mappings.ForStreamAsync(e.AccountId, e.Stream, ct);
        if (streamMappings.Count > 0)
        {
            try
            {
                using var json = JsonDocument.Parse(e.Body);
                if (streamMappings.Any(m => m.Map(json.RootElement).Identities.Any(i => identities.Contains((i.Key, i.Value))))) return (true, true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever one event makes parsing or a mapping throw, the delete goes on and judges it by its bytes.
                return (matcher.MatchesBytes(e.Body), false);
            }
        }
        var theirs = matcher.Matches(e.Body, out var parsed);
        return (theirs, parsed);
    }
}
