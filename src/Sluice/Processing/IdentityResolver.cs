using Sluice.EventLog;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Identity resolution for one processor batch. An event's identity values find the profiles they already point
/// at; none → a new profile; several → they are merged into the oldest (earliest <c>_created</c>, then lowest id),
/// field by field with each field's merge operator, and the merge is recorded.
/// <para>
/// Work is set-based: <see cref="PrepareAsync"/> loads every profile the batch's identity values point at with one
/// statement, events then apply in memory (new profiles take ids from the batch's counter), and
/// <see cref="FlushAsync"/> writes the changed profiles, the merges and one journal entry of changed identity values.
/// Identity changes go straight to the partition's in-memory index; a batch that fails invalidates the index, which
/// then reloads from the journal.
/// </para>
/// </summary>
internal sealed class IdentityResolver(IProfileBatch batch, IdentityIndex index, IdentityOptions guard, ProcessingCounters counters, long nowMs)
{
    private readonly HashSet<(string Account, string Name, string Value)> _dirtyIds = [];
    private readonly Dictionary<long, StoredProfile> _loaded = [];
    private readonly HashSet<long> _dirty = [];
    private readonly List<(string Account, long Loser, long Survivor)> _merges = [];
    private long _lastId;

    /// <summary>Loads the profiles that the identity values of these events point at.</summary>
    public async Task PrepareAsync(IEnumerable<(LoggedEvent Event, MappedRecord Mapped)> events, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        foreach (var (e, mapped) in events)
        {
            foreach (var (name, value) in mapped.Identities)
            {
                if (index.TryGet(e.AccountId, name, value, out var row)) ids.Add(row.ProfileId);
            }
        }
        foreach (var p in await batch.LoadAsync(ids, ct)) _loaded[p.Id] = p;
        _lastId = await batch.LastProfileIdAsync(ct);
    }

    public void Apply(LoggedEvent e, MappedRecord mapped)
    {
        if (mapped.Identities.Count == 0)
        {
            // Kept in the log, counted, but builds no profile: there is nothing to find it by.
            counters.Anonymous.Add(1);
            return;
        }

        var linking = new List<(string Name, string Value)>(mapped.Identities.Count);
        var profileIds = new List<long>(2);
        foreach (var (name, value) in mapped.Identities)
        {
            if (!index.TryGet(e.AccountId, name, value, out var row)) continue;
            if (row.Links >= guard.LimitFor(name)) continue;
            linking.Add((name, value));
            if (!profileIds.Contains(row.ProfileId)) profileIds.Add(row.ProfileId);
        }

        var profile = profileIds.Count == 0 ? Create(e) : Resolve(profileIds);
        var doc = profile.Document;

        var joined = 0;
        foreach (var (name, value) in mapped.Identities)
        {
            if (!index.TryGet(e.AccountId, name, value, out var row))
            {
                Save(e.AccountId, name, value, new IdentityRow(profile.Id, 0));
                joined++;
            }
            else if (row.ProfileId != profile.Id)
            {
                // A value past its guard rail stays with its first profile and does not join this one.
                continue;
            }
            doc.AddIdentity(name, value);
            doc.AddSource(name, value, e.Stream);
        }
        // Merges count as joins too: every value that brought another profile's identities along.
        joined += profileIds.Count - 1;
        if (joined > 0 && profileIds.Count > 0)
        {
            foreach (var (name, value) in linking)
            {
                index.TryGet(e.AccountId, name, value, out var current);
                var links = current.Links + joined;
                if (current.Links < guard.LimitFor(name) && links >= guard.LimitFor(name)) counters.Guarded.Add(1);
                Save(e.AccountId, name, value, current with { Links = links });
            }
        }

        foreach (var field in mapped.Fields)
        {
            doc.Apply(field.Name, field.MergeOp, field.ToFieldValue(e.EventTimeMs));
        }
        doc.EventsPerStream[e.Stream] = doc.EventsPerStream.GetValueOrDefault(e.Stream) + 1;
        profile.CreatedAtMs = Math.Min(profile.CreatedAtMs, e.EventTimeMs);
        profile.LastEventAtMs = Math.Max(profile.LastEventAtMs, e.EventTimeMs);
        profile.ModifiedAtMs = nowMs;
        _dirty.Add(profile.Id);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var (account, loser, survivor) in _merges)
        {
            await batch.RecordMergeAsync(account, loser, survivor, nowMs, ct);
        }
        await batch.SaveAsync([.. _dirty.Select(id => _loaded[id])], ct);
        var entries = new List<IdentityEntry>(_dirtyIds.Count);
        foreach (var (account, name, value) in _dirtyIds)
        {
            index.TryGet(account, name, value, out var row);
            entries.Add(new IdentityEntry(account, name, value, row));
        }
        await batch.AppendIdentityJournalAsync(entries, ct);
    }

    private void Save(string account, string name, string value, IdentityRow row)
    {
        index.Set(new IdentityEntry(account, name, value, row));
        _dirtyIds.Add((account, name, value));
    }

    private StoredProfile Resolve(List<long> ids)
    {
        if (ids.Count == 1) return Loaded(ids[0]);
        var found = ids.Select(Loaded).ToList();
        var survivor = found.MinBy(p => (p.CreatedAtMs, p.Id))!;
        foreach (var loser in found.Where(p => p.Id != survivor.Id)) Merge(survivor, loser);
        return survivor;
    }

    private StoredProfile Loaded(long id) =>
        _loaded.TryGetValue(id, out var p) ? p : throw new InvalidOperationException($"identity points at missing profile {id}");

    private void Merge(StoredProfile survivor, StoredProfile loser)
    {
        survivor.Document.Absorb(loser.Document);
        survivor.Document.Merged.Add(loser.Id);
        survivor.CreatedAtMs = Math.Min(survivor.CreatedAtMs, loser.CreatedAtMs);
        survivor.LastEventAtMs = Math.Max(survivor.LastEventAtMs, loser.LastEventAtMs);
        survivor.ModifiedAtMs = nowMs;
        _dirty.Add(survivor.Id);

        // Every value pointing at the loser is on its document (values held by another profile past their guard rail
        // never join it), so repointing walks the document instead of searching the index.
        foreach (var (name, values) in loser.Document.Identities)
        {
            foreach (var value in values)
            {
                if (index.TryGet(survivor.AccountId, name, value, out var row) && row.ProfileId == loser.Id) Save(survivor.AccountId, name, value, row with { ProfileId = survivor.Id });
            }
        }
        _merges.Add((survivor.AccountId, loser.Id, survivor.Id));
        _loaded.Remove(loser.Id);
        _dirty.Remove(loser.Id);
        counters.Merges.Add(1);
    }

    private StoredProfile Create(LoggedEvent e)
    {
        var profile = new StoredProfile
        {
            Id = ++_lastId,
            AccountId = e.AccountId,
            CreatedAtMs = e.EventTimeMs,
            ModifiedAtMs = nowMs,
            LastEventAtMs = e.EventTimeMs,
            Document = new ProfileDocument(),
            IsNew = true,
        };
        return _loaded[profile.Id] = profile;
    }
}
