namespace Sluice.Processing;

/// <summary>
/// One partition's profiles in memory: every profile changed since the last checkpoint (the store does not have
/// those changes yet) plus recently used clean ones, up to a byte budget. Merges since the last checkpoint are kept
/// as forwarding entries so that a merged-away id keeps resolving before its merge record is stored. The processor
/// is the only writer; profile API reads come from the partition grain concurrently, hence the lock.
/// <para>
/// A burst of new people (an import of a segment export) fills the cache with profiles that no batch reads again. So
/// entries that no batch reused since they were created ("cold") are evicted before the others, oldest first, and
/// while the recent batches are such a burst (<see cref="InBurstOfNew"/>) the cold ones are held to an eighth of the
/// budget and new profiles are checkpointed at an eighth of it (<see cref="WantsCheckpoint"/>): they were half of what
/// a partition held after 500,000 new people, and the GC heap grows with what is live.
/// </para>
/// </summary>
internal sealed class ProfileCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, CachedProfile> _profiles = [];
    private readonly Dictionary<long, long> _mergedInto = [];

    // The changed entries, so that a checkpoint does not walk the whole cache (a live partition checkpoints every batch).
    private readonly Dictionary<long, CachedProfile> _dirty = [];

    // Entries in the order they were created, for evicting the cold ones oldest first; an entry reused or gone since is
    // skipped when it comes up.
    private readonly Queue<CachedProfile> _created = new();
    private long _coldCount;

    // Profiles that batches looked for that existed before (found here or not), and new ones: since the last checkpoint,
    // plus half of what came before it.
    private long _lookups;
    private long _creations;

    public long Bytes { get; private set; }

    public long DirtyBytes { get; private set; }

    public int DirtyCount => _dirty.Count;

    /// <summary>Bytes of the entries that no batch reused since they were created.</summary>
    public long ColdBytes { get; private set; }

    /// <summary>
    /// The recent batches (since the last checkpoint, plus half of those before) created at least a thousand profiles and
    /// looked for fewer than one existing profile per twenty new ones: a burst of new people, whose profiles are
    /// unlikely to be read again soon.
    /// </summary>
    public bool InBurstOfNew => _creations >= 1_000 && _lookups * 20 < _creations;

    /// <summary>
    /// Whether the changed profiles should be written now: when they fill half the budget, or an eighth of it during a
    /// burst of new people (writing new profiles costs the same in four checkpoints as in one, and keeping them
    /// unwritten holds memory).
    /// </summary>
    public bool WantsCheckpoint(long budgetBytes) => DirtyBytes >= budgetBytes / 2 || (InBurstOfNew && DirtyBytes >= budgetBytes / 8);

    /// <summary>For the processor, the cache's only writer: the entry itself, from now on no longer cold.</summary>
    public bool TryGet(long id, out CachedProfile profile)
    {
        lock (_lock)
        {
            _lookups++;
            if (!_profiles.TryGetValue(id, out profile!)) return false;
            if (!profile.Reused)
            {
                ColdBytes -= profile.Bytes;
                _coldCount--;
                profile.Reused = true;
            }
            return true;
        }
    }

    /// <summary>For readers beside the processor: a copy taken under the lock, since entries change in place.</summary>
    public ProfileSnapshot? Snapshot(long id)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out var p)
                ? new ProfileSnapshot(p.Id, p.AccountId, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, [.. p.Doc])
                : null;
        }
    }

    /// <summary>Stores a changed profile, reusing the entry and its document buffer when the new encoding is as long.</summary>
    public void Update(long id, string accountId, long createdAtMs, long modifiedAtMs, long lastEventAtMs, ReadOnlySpan<byte> doc, bool isNew)
    {
        lock (_lock)
        {
            if (!_profiles.TryGetValue(id, out var p))
            {
                // One that is not new came from the store because a batch needed it again: not cold.
                p = new CachedProfile(id, accountId, createdAtMs, modifiedAtMs, lastEventAtMs, doc.ToArray()) { IsNew = isNew, Reused = !isNew };
                _profiles[id] = p;
                Add(p);
                if (isNew)
                {
                    _created.Enqueue(p);
                    _creations++;
                }
            }
            else
            {
                Forget(p);
                if (p.Doc.Length == doc.Length) doc.CopyTo(p.Doc);
                else p.Doc = doc.ToArray();
                (p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.IsNew) = (createdAtMs, modifiedAtMs, lastEventAtMs, isNew);
                Add(p);
            }
            p.Dirty = true;
            _dirty[p.Id] = p;
            DirtyBytes += p.Bytes;
        }
    }

    /// <summary>Where a profile merged away since the last checkpoint went (following merge chains); the id itself otherwise.</summary>
    public long Resolve(long id)
    {
        lock (_lock)
        {
            while (_mergedInto.TryGetValue(id, out var survivor)) id = survivor;
            return id;
        }
    }

    public void Remove(long id)
    {
        lock (_lock)
        {
            if (_profiles.Remove(id, out var old)) Forget(old);
        }
    }

    public void MarkMerged(long loser, long survivor)
    {
        lock (_lock)
        {
            _mergedInto[loser] = survivor;
            if (_profiles.Remove(loser, out var old)) Forget(old);
        }
    }

    public List<CachedProfile> Dirty()
    {
        lock (_lock)
        {
            return [.. _dirty.Values];
        }
    }

    /// <summary>
    /// After a checkpoint: everything is in the store, so nothing is new or dirty and merges resolve there. Then evicts:
    /// during a burst of new people, cold entries beyond an eighth of the budget; past the budget, down to three
    /// quarters of it (so that the next batches do not evict again at once), cold entries first.
    /// </summary>
    public void MarkCheckpointed(long budgetBytes)
    {
        lock (_lock)
        {
            foreach (var p in _dirty.Values) p.Dirty = p.IsNew = false;
            _dirty.Clear();
            // After a burst its tables would stay sized for it; a live partition's stay small and are kept.
            if (_dirty.EnsureCapacity(0) > ProfileProcessor.KeepCapacity) _dirty.TrimExcess();
            DirtyBytes = 0;
            _mergedInto.Clear();
            var burst = InBurstOfNew;
            // Halved, not reset: a partition that catches up every few batches checkpoints often, and a burst of new
            // people spread over many small checkpoints is still a burst.
            _lookups /= 2;
            _creations /= 2;

            var target = Bytes > budgetBytes ? budgetBytes * 3 / 4 : long.MaxValue;
            var coldTarget = burst ? budgetBytes / 8 : long.MaxValue;
            while ((Bytes > target || ColdBytes > coldTarget) && _created.TryDequeue(out var p))
            {
                if (!p.Reused && _profiles.TryGetValue(p.Id, out var current) && ReferenceEquals(current, p)) Evict(p);
            }
            if (Bytes > target)
            {
                foreach (var id in _profiles.Keys.ToList())
                {
                    if (Bytes <= target) break;
                    Evict(_profiles[id]);
                }
            }
            // Entries reused or gone stay queued until they come up; past twice the cold ones, the queue keeps only those.
            if (_created.Count > 2 * _coldCount + 1024)
            {
                var cold = _created.Where(p => !p.Reused && _profiles.TryGetValue(p.Id, out var c) && ReferenceEquals(c, p)).ToList();
                _created.Clear();
                if (_created.EnsureCapacity(0) > ProfileProcessor.KeepCapacity) _created.TrimExcess();
                foreach (var p in cold) _created.Enqueue(p);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _profiles.Clear();
            _mergedInto.Clear();
            _dirty.Clear();
            _created.Clear();
            Bytes = DirtyBytes = ColdBytes = _coldCount = _lookups = _creations = 0;
        }
    }

    private void Evict(CachedProfile p)
    {
        Forget(p);
        _profiles.Remove(p.Id);
    }

    /// <summary>Puts an entry (new or changed) into the byte counts.</summary>
    private void Add(CachedProfile p)
    {
        Bytes += p.Bytes;
        if (p.Reused) return;
        ColdBytes += p.Bytes;
        _coldCount++;
    }

    /// <summary>Takes an entry out of the byte counts (before it is removed or changed).</summary>
    private void Forget(CachedProfile old)
    {
        Bytes -= old.Bytes;
        if (!old.Reused)
        {
            ColdBytes -= old.Bytes;
            _coldCount--;
        }
        if (!old.Dirty) return;
        DirtyBytes -= old.Bytes;
        _dirty.Remove(old.Id);
    }
}
