using Sluice.EventLog;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Identity resolution for one processor batch. An event's identity values find the profiles they already point
/// at; none → a new profile; several → they are merged into the oldest (earliest <c>_created</c>, then lowest id),
/// field by field with each field's merge operator, and the merge is recorded. Identity rows and profiles touched by
/// the batch are cached until <see cref="FlushAsync"/>.
/// </summary>
internal sealed class IdentityResolver(IProfileBatch batch, IdentityOptions guard, ProcessingCounters counters, long nowMs)
{
    private readonly Dictionary<(string Account, string Name, string Value), IdentityRow?> _ids = [];
    private readonly HashSet<(string Account, string Name, string Value)> _dirtyIds = [];
    private readonly Dictionary<long, StoredProfile> _loaded = [];
    private readonly HashSet<long> _dirty = [];

    public async Task ApplyAsync(LoggedEvent e, MappedRecord mapped, CancellationToken ct)
    {
        if (mapped.Identities.Count == 0)
        {
            // Kept in the log, counted, but builds no profile: there is nothing to find it by.
            counters.Anonymous.Add(1);
            return;
        }

        var linking = new List<(string Name, string Value, IdentityRow Row)>(mapped.Identities.Count);
        var profileIds = new List<long>(2);
        foreach (var (name, value) in mapped.Identities)
        {
            if (await RowAsync(e.AccountId, name, value, ct) is not { } row) continue;
            if (row.Links >= guard.LimitFor(name)) continue;
            linking.Add((name, value, row));
            if (!profileIds.Contains(row.ProfileId)) profileIds.Add(row.ProfileId);
        }

        var profile = profileIds.Count == 0 ? await CreateAsync(e, ct) : await ResolveAsync(e.AccountId, profileIds, ct);
        var doc = profile.Document;

        var joined = 0;
        foreach (var (name, value) in mapped.Identities)
        {
            var key = (e.AccountId, name, value);
            var row = _ids[key];
            if (row is null)
            {
                _ids[key] = new IdentityRow(profile.Id, 0);
                _dirtyIds.Add(key);
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
            foreach (var (name, value, row) in linking)
            {
                var key = (e.AccountId, name, value);
                var current = _ids[key]!;
                var links = current.Links + joined;
                if (current.Links < guard.LimitFor(name) && links >= guard.LimitFor(name)) counters.Guarded.Add(1);
                _ids[key] = current with { Links = links };
                _dirtyIds.Add(key);
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
        foreach (var key in _dirtyIds)
        {
            await batch.SaveIdentityAsync(key.Account, key.Name, key.Value, _ids[key]!, ct);
        }
        foreach (var id in _dirty)
        {
            await batch.UpdateAsync(_loaded[id], ct);
        }
    }

    private async Task<IdentityRow?> RowAsync(string account, string name, string value, CancellationToken ct)
    {
        var key = (account, name, value);
        if (!_ids.TryGetValue(key, out var row))
        {
            row = await batch.FindIdentityAsync(account, name, value, ct);
            _ids[key] = row;
        }
        return row;
    }

    private async Task<StoredProfile> ResolveAsync(string account, List<long> ids, CancellationToken ct)
    {
        var found = new List<StoredProfile>(ids.Count);
        foreach (var id in ids)
        {
            if (!_loaded.TryGetValue(id, out var p))
            {
                p = await batch.LoadAsync(account, id, ct) ?? throw new InvalidOperationException($"identity points at missing profile {id}");
                _loaded[id] = p;
            }
            found.Add(p);
        }
        if (found.Count == 1) return found[0];

        var survivor = found.MinBy(p => (p.CreatedAtMs, p.Id))!;
        foreach (var loser in found.Where(p => p.Id != survivor.Id))
        {
            await MergeAsync(survivor, loser, ct);
        }
        return survivor;
    }

    private async Task MergeAsync(StoredProfile survivor, StoredProfile loser, CancellationToken ct)
    {
        survivor.Document.Absorb(loser.Document);
        survivor.Document.Merged.Add(loser.Id);
        survivor.CreatedAtMs = Math.Min(survivor.CreatedAtMs, loser.CreatedAtMs);
        survivor.LastEventAtMs = Math.Max(survivor.LastEventAtMs, loser.LastEventAtMs);
        survivor.ModifiedAtMs = nowMs;
        _dirty.Add(survivor.Id);

        await batch.RepointIdentitiesAsync(survivor.AccountId, loser.Id, survivor.Id, ct);
        foreach (var (name, values) in loser.Document.Identities)
        {
            foreach (var value in values)
            {
                var key = (survivor.AccountId, name, value);
                if (_ids.TryGetValue(key, out var row) && row is not null && row.ProfileId == loser.Id) _ids[key] = row with { ProfileId = survivor.Id };
            }
        }
        await batch.RecordMergeAsync(survivor.AccountId, loser.Id, survivor.Id, nowMs, ct);
        _loaded.Remove(loser.Id);
        _dirty.Remove(loser.Id);
        counters.Merges.Add(1);
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
