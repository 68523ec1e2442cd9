using Sluice.Audiences;
using Sluice.EventLog;
using Sluice.Profiles;
using Sluice.Query.Lql;

namespace Sluice.Processing;

/// <summary>
/// Identity resolution for one processor batch, against the partition's in-memory state. An event's identity values
/// find the profiles they already point at; none → a new profile; several → they are merged into the oldest
/// (earliest <c>_created</c>, then lowest id), field by field with each field's merge operator.
/// <para>
/// <see cref="PrepareAsync"/> finds every profile the batch's identity values point at (in the cache, or in the store
/// with one statement for all misses); <see cref="Apply"/> resolves events one by one in log order, touching only the
/// index and each profile's <see cref="ProfileWork"/>; <see cref="Finish"/> then builds, encodes and caches every
/// changed profile in parallel and queues the merges for the next checkpoint. Identity changes go straight to the
/// index; a failure anywhere invalidates the whole partition state.
/// </para>
/// </summary>
internal sealed class IdentityResolver(PartitionState state, IProfileStore store, IdentityOptions guard, ProcessingCounters counters, long nowMs)
{
    private readonly IdentityIndex _index = state.Index;
    private readonly Dictionary<long, ProfileWork> _work = [];
    private readonly List<(string Account, long Loser, long Survivor)> _merges = [];
    private readonly List<(string Name, string Value)> _linking = [];
    private readonly List<long> _profileIds = [];
    private readonly List<bool> _missing = [];
    private readonly List<PendingChange> _loserExits = [];
    private long _lastId = state.LastProfileId;
    private long _position;

    /// <summary>Finds the stored rows of the profiles that the identity values of these events point at.</summary>
    public async Task PrepareAsync(IReadOnlyCollection<(LoggedEvent Event, MappedRecord Mapped)> events, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        // Sized once for a profile per event (an upper bound but for merges), instead of growing through the batch.
        _work.EnsureCapacity(events.Count);
        foreach (var (e, mapped) in events)
        {
            // By index: a foreach over the interface would box an enumerator per event.
            var identities = mapped.Identities;
            for (var i = 0; i < identities.Count; i++)
            {
                if (_index.TryGetAsWriter(e.AccountId, identities[i].Key, identities[i].Value, out var row)) ids.Add(row.ProfileId);
            }
        }
        var missing = new List<long>();
        foreach (var id in ids)
        {
            if (state.Profiles.TryGet(id, out var cached)) _work[id] = new ProfileWork(id, cached.AccountId, cached);
            else missing.Add(id);
        }
        foreach (var row in await store.LoadRowsAsync(missing, ct)) _work[row.Id] = new ProfileWork(row.Id, row.AccountId, row);
        state.CacheMisses += missing.Count;
    }

    /// <summary>Resolves one event to its profile (creating or merging profiles) and queues it there; in log order.</summary>
    public void Apply(LoggedEvent e, MappedRecord mapped)
    {
        _position = e.Seq;
        if (mapped.Identities.Count == 0)
        {
            // Kept in the log, counted, but builds no profile: there is nothing to find it by.
            counters.Anonymous.Add(1);
            return;
        }

        // Reused from event to event: resolution is one sequential pass.
        var linking = _linking;
        var profileIds = _profileIds;
        var missing = _missing;
        linking.Clear();
        profileIds.Clear();
        missing.Clear();
        // By index: a foreach over the interface would box an enumerator per event.
        var values = mapped.Identities;
        for (var i = 0; i < values.Count; i++)
        {
            var (name, value) = values[i];
            var found = _index.TryGetAsWriter(e.AccountId, name, value, out var row);
            missing.Add(!found);
            if (!found) continue;
            if (row.Links >= guard.LimitFor(name)) continue;
            linking.Add((name, value));
            if (!profileIds.Contains(row.ProfileId)) profileIds.Add(row.ProfileId);
        }

        var profile = profileIds.Count == 0 ? Create(e) : Resolve(profileIds);

        var joined = 0;
        var identities = new List<(string Name, string Value)>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var (name, value) = values[i];
            // A value missing above is missing still (creating or merging profiles repoints values that exist), unless
            // the event carries it twice and its first copy was just saved: then it is looked up again, as before.
            if (missing[i] && !SavedEarlier(values, missing, i))
            {
                Save(e.AccountId, name, value, new IdentityRow(profile.Id, 0));
                joined++;
            }
            else if (!_index.TryGetAsWriter(e.AccountId, name, value, out var row))
            {
                Save(e.AccountId, name, value, new IdentityRow(profile.Id, 0));
                joined++;
            }
            else if (row.ProfileId != profile.Id)
            {
                // A value past its guard rail stays with its first profile and does not join this one.
                continue;
            }
            identities.Add((name, value));
        }
        // Merges count as joins too: every value that brought another profile's identities along.
        joined += profileIds.Count - 1;
        if (joined > 0 && profileIds.Count > 0)
        {
            foreach (var (name, value) in linking)
            {
                _index.TryGetAsWriter(e.AccountId, name, value, out var current);
                var links = current.Links + joined;
                if (current.Links < guard.LimitFor(name) && links >= guard.LimitFor(name)) counters.Guarded.Add(1);
                Save(e.AccountId, name, value, current with { Links = links });
            }
        }

        profile.Events.Add((e, mapped, identities));
        profile.CreatedAtMs = Math.Min(profile.CreatedAtMs, e.EventTimeMs);
        profile.LastEventAtMs = Math.Max(profile.LastEventAtMs, e.EventTimeMs);
    }

    /// <summary>
    /// Builds every changed profile and evaluates its account's audiences on it, then encodes it into the cache (on
    /// every core, one reused buffer each), and queues the merges and membership changes for the checkpoint: exits of
    /// merged-away profiles first, then each changed profile's changes in id order, so that a replay of the same
    /// batch queues the same feed.
    /// </summary>
    public void Finish(IReadOnlyDictionary<string, AccountAudiences> audiences, CancellationToken ct)
    {
        foreach (var (account, loser, survivor) in _merges)
        {
            state.Profiles.MarkMerged(loser, survivor);
            state.PendingMerges.Add((account, loser, survivor, nowMs));
        }
        state.PendingMembership.AddRange(_loserExits);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var changed = _work.Values.Where(w => w.Changed).OrderBy(w => w.Id).ToArray();
        var membership = new (string AudienceId, bool Entered)[]?[changed.Length];
        var flips = new long?[changed.Length];
        var touched = new bool[changed.Length];
        // A live batch changes a handful of profiles: building them in a plain loop here is cheaper than handing them
        // to other threads.
        if (changed.Length >= 8)
        {
            Parallel.For(0, changed.Length, new ParallelOptions { CancellationToken = ct }, () => new BuildScratch(), (i, _, scratch) =>
            {
                Build(changed[i], scratch, audiences, now, out membership[i], out flips[i], out touched[i]);
                return scratch;
            }, scratch => scratch.Buffer.Dispose());
        }
        else
        {
            var scratch = new BuildScratch();
            for (var i = 0; i < changed.Length; i++) Build(changed[i], scratch, audiences, now, out membership[i], out flips[i], out touched[i]);
        }
        for (var i = 0; i < changed.Length; i++)
        {
            var p = changed[i];
            var position = p.Events.Count > 0 ? p.Events[^1].Event.Seq : _position;
            foreach (var (audience, entered) in membership[i] ?? []) state.PendingMembership.Add(new PendingChange(p.AccountId, p.Id, audience, entered, nowMs, position));
            state.Timers.Schedule(p.Id, p.AccountId, flips[i]);
            if (touched[i]) state.PendingMembership.Touch(p.AccountId, p.Id, nowMs, position);
        }
        state.LastProfileId = _lastId;
    }

    /// <summary>Whether an earlier value of the event, missing from the index too, is this one (so it is saved by now).</summary>
    private static bool SavedEarlier(IReadOnlyList<KeyValuePair<string, string>> values, List<bool> missing, int at)
    {
        for (var j = 0; j < at; j++)
        {
            if (missing[j] && string.Equals(values[j].Key, values[at].Key, StringComparison.Ordinal) &&
                string.Equals(values[j].Value, values[at].Value, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// Builds one changed profile, evaluates its account's audiences on it and encodes it into the cache; what it
    /// finds for the feed comes back for the sequential pass that queues it.
    /// </summary>
    private void Build(
        ProfileWork p, BuildScratch scratch, IReadOnlyDictionary<string, AccountAudiences> audiences, DateTimeOffset now,
        out (string AudienceId, bool Entered)[]? membership, out long? flip, out bool touched)
    {
        membership = null;
        flip = null;
        var buffer = scratch.Buffer;
        buffer.SetLength(0);
        // Before the build folds the batch into the stored document (in place): did the batch give it a new identity value?
        // Exports exist only for accounts with audiences; an account without any needs no touch.
        touched = p.Stored is not null && audiences.TryGetValue(p.AccountId, out var any) && any.All.Count > 0
            && (p.Absorbed is not null || p.AddsIdentity());
        var doc = p.Build();
        if (audiences.TryGetValue(p.AccountId, out var account) && (account.All.Count > 0 || doc.Audiences.Count > 0))
        {
            // One list per thread, copied out at its exact size (most profiles change no membership at all).
            var changes = scratch.Changes;
            changes.Clear();
            var entity = new ProfileEntity(doc, p.CreatedAtMs, nowMs, p.LastEventAtMs);
            if (p.Stored is null || p.Absorbed is not null) MembershipEvaluation.Evaluate(account, doc, entity, account.All, now, changes);
            else if (account.HasMasks) MembershipEvaluation.Evaluate(account, doc, entity, p.AffectedMask(account), now, changes);
            else MembershipEvaluation.Evaluate(account, doc, entity, account.AffectedBy(p.ChangedFields()!), now, changes);
            if (changes.Count > 0) membership = [.. changes];
            flip = MembershipEvaluation.NextFlip(account, entity, now);
        }
        doc.WriteTo(buffer);
        state.Profiles.Update(p.Id, p.AccountId, p.CreatedAtMs, nowMs, p.LastEventAtMs, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), p.Stored is null || p.Stored.IsNew);
    }

    private void Save(string account, string name, string value, IdentityRow row)
    {
        var entry = new IdentityEntry(account, name, value, row);
        _index.Set(entry);
        state.PendingIdentities.Add(entry);
    }

    private ProfileWork Resolve(List<long> ids)
    {
        if (ids.Count == 1) return Work(ids[0]);
        var found = ids.Select(Work).ToList();
        var survivor = found.MinBy(p => (p.CreatedAtMs, p.Id))!;
        foreach (var loser in found.Where(p => p.Id != survivor.Id)) Merge(survivor, loser);
        return survivor;
    }

    private ProfileWork Work(long id) =>
        _work.TryGetValue(id, out var p) ? p : throw new InvalidOperationException($"identity points at missing profile {id}");

    private void Merge(ProfileWork survivor, ProfileWork loser)
    {
        // Every value pointing at the loser is among its identity values (values held by another profile past their
        // guard rail never join it), so repointing walks those instead of searching the index.
        foreach (var (name, value) in loser.Identities())
        {
            if (_index.TryGetAsWriter(survivor.AccountId, name, value, out var row) && row.ProfileId == loser.Id) Save(survivor.AccountId, name, value, row with { ProfileId = survivor.Id });
        }
        // The loser leaves every audience it was in (as last told); the survivor is evaluated afresh.
        foreach (var audience in loser.StoredDocument.Audiences) _loserExits.Add(new PendingChange(loser.AccountId, loser.Id, audience, false, nowMs, _position));
        survivor.Absorb(loser);
        survivor.CreatedAtMs = Math.Min(survivor.CreatedAtMs, loser.CreatedAtMs);
        survivor.LastEventAtMs = Math.Max(survivor.LastEventAtMs, loser.LastEventAtMs);
        _merges.Add((survivor.AccountId, loser.Id, survivor.Id));
        _work.Remove(loser.Id);
        counters.Merges.Add(1);
    }

    private ProfileWork Create(LoggedEvent e)
    {
        var profile = new ProfileWork(++_lastId, e.AccountId, null) { CreatedAtMs = e.EventTimeMs, LastEventAtMs = e.EventTimeMs };
        return _work[profile.Id] = profile;
    }
}

/// <summary>What one thread of <see cref="IdentityResolver.Finish"/> reuses from profile to profile.</summary>
internal sealed class BuildScratch
{
    public MemoryStream Buffer { get; } = new(1024);

    public List<(string AudienceId, bool Entered)> Changes { get; } = [];
}
