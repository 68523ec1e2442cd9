using Sluice.EventLog;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Identity resolution for one processor batch, against the partition's in-memory state. An event's identity values
/// find the profiles they already point at; none → a new profile; several → they are merged into the oldest
/// (earliest <c>_created</c>, then lowest id), field by field with each field's merge operator.
/// <para>
/// <see cref="PrepareAsync"/> decodes every profile the batch's identity values point at (from the cache, or from
/// the store with one statement for all misses), events then apply to the decoded documents, and <see cref="Finish"/>
/// encodes the changed ones back into the cache as dirty and queues the merges and identity changes for the next
/// checkpoint. Identity changes go straight to the index; a failure anywhere invalidates the whole partition state.
/// </para>
/// </summary>
internal sealed class IdentityResolver(PartitionState state, IProfileStore store, IdentityOptions guard, ProcessingCounters counters, long nowMs)
{
    private readonly IdentityIndex _index = state.Index;
    private readonly Dictionary<long, StoredProfile> _loaded = [];
    private readonly HashSet<long> _dirty = [];
    private readonly List<(string Account, long Loser, long Survivor)> _merges = [];
    private readonly List<(string Name, string Value)> _linking = [];
    private readonly List<long> _profileIds = [];
    private long _lastId = state.LastProfileId;

    /// <summary>Decodes the profiles that the identity values of these events point at, on every core.</summary>
    public async Task PrepareAsync(IEnumerable<(LoggedEvent Event, MappedRecord Mapped)> events, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        foreach (var (e, mapped) in events)
        {
            foreach (var (name, value) in mapped.Identities)
            {
                if (_index.TryGet(e.AccountId, name, value, out var row)) ids.Add(row.ProfileId);
            }
        }
        var rows = new List<CachedProfile>(ids.Count);
        var missing = new List<long>();
        foreach (var id in ids)
        {
            if (state.Profiles.TryGet(id, out var cached)) rows.Add(cached);
            else missing.Add(id);
        }
        rows.AddRange(await store.LoadRowsAsync(missing, ct));
        state.CacheMisses += missing.Count;
        var decoded = new StoredProfile[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = ct }, i => decoded[i] = rows[i].Decode());
        foreach (var p in decoded) _loaded[p.Id] = p;
    }

    public void Apply(LoggedEvent e, MappedRecord mapped)
    {
        if (mapped.Identities.Count == 0)
        {
            // Kept in the log, counted, but builds no profile: there is nothing to find it by.
            counters.Anonymous.Add(1);
            return;
        }

        // Reused from event to event: applying is one sequential pass.
        var linking = _linking;
        var profileIds = _profileIds;
        linking.Clear();
        profileIds.Clear();
        foreach (var (name, value) in mapped.Identities)
        {
            if (!_index.TryGet(e.AccountId, name, value, out var row)) continue;
            if (row.Links >= guard.LimitFor(name)) continue;
            linking.Add((name, value));
            if (!profileIds.Contains(row.ProfileId)) profileIds.Add(row.ProfileId);
        }

        var profile = profileIds.Count == 0 ? Create(e) : Resolve(profileIds);
        var doc = profile.Document;

        var joined = 0;
        foreach (var (name, value) in mapped.Identities)
        {
            if (!_index.TryGet(e.AccountId, name, value, out var row))
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
                _index.TryGet(e.AccountId, name, value, out var current);
                var links = current.Links + joined;
                if (current.Links < guard.LimitFor(name) && links >= guard.LimitFor(name)) counters.Guarded.Add(1);
                Save(e.AccountId, name, value, current with { Links = links });
            }
        }

        foreach (var field in mapped.Fields)
        {
            doc.Apply(field.Name, field.MergeOp, field.ToFieldValue(e.EventTimeMs));
        }
        doc.CountEvent(e.Stream);
        profile.CreatedAtMs = Math.Min(profile.CreatedAtMs, e.EventTimeMs);
        profile.LastEventAtMs = Math.Max(profile.LastEventAtMs, e.EventTimeMs);
        profile.ModifiedAtMs = nowMs;
        _dirty.Add(profile.Id);
    }

    /// <summary>Encodes the changed profiles (on every core, one reused buffer each) into the cache and queues merges for the checkpoint.</summary>
    public void Finish(CancellationToken ct)
    {
        foreach (var (account, loser, survivor) in _merges)
        {
            state.Profiles.MarkMerged(loser, survivor);
            state.PendingMerges.Add((account, loser, survivor, nowMs));
        }
        var changed = _dirty.Select(id => _loaded[id]).ToArray();
        Parallel.For(0, changed.Length, new ParallelOptions { CancellationToken = ct }, () => new MemoryStream(1024), (i, _, buffer) =>
        {
            var p = changed[i];
            buffer.SetLength(0);
            p.Document.WriteTo(buffer);
            state.Profiles.Update(p.Id, p.AccountId, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), p.IsNew);
            return buffer;
        }, buffer => buffer.Dispose());
        state.LastProfileId = _lastId;
    }

    private void Save(string account, string name, string value, IdentityRow row)
    {
        var entry = new IdentityEntry(account, name, value, row);
        _index.Set(entry);
        state.PendingIdentities.Add(entry);
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
                if (_index.TryGet(survivor.AccountId, name, value, out var row) && row.ProfileId == loser.Id) Save(survivor.AccountId, name, value, row with { ProfileId = survivor.Id });
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
