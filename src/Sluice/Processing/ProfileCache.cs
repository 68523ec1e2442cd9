namespace Sluice.Processing;

/// <summary>
/// One partition's profiles in memory: every profile changed since the last checkpoint (the store does not have
/// those changes yet) plus recently used clean ones, up to a byte budget. Merges since the last checkpoint are kept
/// as forwarding entries so that a merged-away id keeps resolving before its merge record is stored. The processor
/// is the only writer; profile API reads come from the partition grain concurrently, hence the lock.
/// </summary>
internal sealed class ProfileCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, CachedProfile> _profiles = [];
    private readonly Dictionary<long, long> _mergedInto = [];

    // The changed entries, so that a checkpoint does not walk the whole cache (a live partition checkpoints every batch).
    private readonly Dictionary<long, CachedProfile> _dirty = [];

    public long Bytes { get; private set; }

    public long DirtyBytes { get; private set; }

    public int DirtyCount => _dirty.Count;

    /// <summary>For the processor, the cache's only writer: the entry itself.</summary>
    public bool TryGet(long id, out CachedProfile profile)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out profile!);
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
                p = new CachedProfile(id, accountId, createdAtMs, modifiedAtMs, lastEventAtMs, doc.ToArray()) { IsNew = isNew };
                _profiles[id] = p;
                Bytes += p.Bytes;
            }
            else
            {
                Forget(p);
                if (p.Doc.Length == doc.Length) doc.CopyTo(p.Doc);
                else p.Doc = doc.ToArray();
                (p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.IsNew) = (createdAtMs, modifiedAtMs, lastEventAtMs, isNew);
                Bytes += p.Bytes;
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

    /// <summary>After a checkpoint: everything is in the store, so nothing is new or dirty and merges resolve there.</summary>
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
            if (Bytes <= budgetBytes) return;
            // Evict down to three quarters of the budget so that the next batches do not evict again at once.
            foreach (var id in _profiles.Keys.ToList())
            {
                if (Bytes <= budgetBytes * 3 / 4) break;
                Forget(_profiles[id]);
                _profiles.Remove(id);
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
            Bytes = DirtyBytes = 0;
        }
    }

    /// <summary>Takes an entry out of the byte counts (before it is removed or changed).</summary>
    private void Forget(CachedProfile old)
    {
        Bytes -= old.Bytes;
        if (!old.Dirty) return;
        DirtyBytes -= old.Bytes;
        _dirty.Remove(old.Id);
    }
}
