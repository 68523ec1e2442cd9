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

    public long Bytes { get; private set; }

    public long DirtyBytes { get; private set; }

    public int DirtyCount { get; private set; }

    public bool TryGet(long id, out CachedProfile profile)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out profile!);
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

    public void Put(CachedProfile profile)
    {
        lock (_lock)
        {
            if (_profiles.Remove(profile.Id, out var old)) Forget(old);
            _profiles[profile.Id] = profile;
            Bytes += profile.Bytes;
            if (profile.Dirty)
            {
                DirtyBytes += profile.Bytes;
                DirtyCount++;
            }
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
            return [.. _profiles.Values.Where(p => p.Dirty)];
        }
    }

    /// <summary>After a checkpoint: everything is in the store, so nothing is new or dirty and merges resolve there.</summary>
    public void MarkCheckpointed(long budgetBytes)
    {
        lock (_lock)
        {
            foreach (var p in _profiles.Values.Where(p => p.Dirty).ToList()) _profiles[p.Id] = p with { Dirty = false, IsNew = false };
            DirtyBytes = 0;
            DirtyCount = 0;
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
            Bytes = DirtyBytes = 0;
            DirtyCount = 0;
        }
    }

    private void Forget(CachedProfile old)
    {
        Bytes -= old.Bytes;
        if (!old.Dirty) return;
        DirtyBytes -= old.Bytes;
        DirtyCount--;
    }
}
