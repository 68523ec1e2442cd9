namespace Sluice.Processing;

/// <summary>
/// A map from byte-string keys to <see cref="IdentityRow"/>s with no object per entry, for the identity index: a
/// partition may hold millions of values, and as a dictionary of strings each cost ~150 bytes and an object or two for
/// the collector to trace. Here a value costs its key's bytes in an arena of 1 MiB chunks, a 32-byte entry in chunked
/// arrays and an 8-byte bucket (open addressing, linear probing). A lookup compares the whole key after the hash, so
/// two keys with the same hash never share an entry.
/// <para>Not thread-safe: <see cref="IdentityIndex"/> says who may call what when.</para>
/// </summary>
internal sealed class IdentityTable
{
    private const int EntryShift = 16;
    private const int EntryMask = (1 << EntryShift) - 1;
    private const int ArenaChunkBytes = 1 << 20;

    private struct Entry
    {
        public long ProfileId;
        public long Links;
        public int Chunk;
        public int Offset;
        public int Length;
        public int Hash;
    }

    /// <summary>The entry's hash beside its number, so that probing rarely reads an entry that is not the one sought.</summary>
    private struct Bucket
    {
        public int Hash;

        /// <summary>The entry's index plus one; 0 is an empty bucket.</summary>
        public int Entry;
    }

    private Bucket[] _buckets = new Bucket[64];

    // Chunks of 65,536 entries (2 MiB): growing adds one instead of copying everything into an array twice the size.
    private readonly List<Entry[]> _entries = [];
    private readonly List<byte[]> _arena = [];
    private int _chunk = -1;
    private int _used;
    private long _liveBytes;
    private long _wastedBytes;

    public int Count { get; private set; }

    /// <summary>The index of the entry holding <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key, int hash)
    {
        var mask = _buckets.Length - 1;
        for (var b = hash & mask; ; b = (b + 1) & mask)
        {
            var bucket = _buckets[b];
            if (bucket.Entry == 0) return -1;
            if (bucket.Hash == hash && KeyAt(bucket.Entry - 1).SequenceEqual(key)) return bucket.Entry - 1;
        }
    }

    public ReadOnlySpan<byte> KeyAt(int index)
    {
        ref var e = ref At(index);
        return _arena[e.Chunk].AsSpan(e.Offset, e.Length);
    }

    public IdentityRow RowAt(int index)
    {
        ref var e = ref At(index);
        return new IdentityRow(e.ProfileId, e.Links);
    }

    /// <summary>Sets the row of a key, adding it when absent.</summary>
    public void Set(ReadOnlySpan<byte> key, int hash, IdentityRow row)
    {
        var found = Find(key, hash);
        if (found >= 0)
        {
            ref var e = ref At(found);
            (e.ProfileId, e.Links) = (row.ProfileId, row.Links);
            return;
        }
        // At most three quarters full: an all-new batch looks up mostly absent keys, whose probes end at an empty bucket.
        if ((long)(Count + 1) * 4 > (long)_buckets.Length * 3) Rehash(_buckets.Length * 2);
        var index = Count;
        if ((index >> EntryShift) == _entries.Count) _entries.Add(new Entry[1 << EntryShift]);
        var (chunk, offset) = Store(key);
        At(index) = new Entry { ProfileId = row.ProfileId, Links = row.Links, Chunk = chunk, Offset = offset, Length = key.Length, Hash = hash };
        Place(hash, index + 1);
        Count++;
        _liveBytes += key.Length;
    }

    /// <summary>Removes a key; the last entry moves into its place, so entries stay dense.</summary>
    public bool Remove(ReadOnlySpan<byte> key, int hash)
    {
        var index = Find(key, hash);
        if (index < 0) return false;
        ClearBucket(BucketOf(hash, index + 1));
        var last = Count - 1;
        if (index != last)
        {
            ref var moved = ref At(last);
            _buckets[BucketOf(moved.Hash, last + 1)].Entry = index + 1;
            ref var hole = ref At(index);
            _liveBytes -= hole.Length;
            _wastedBytes += hole.Length;
            hole = moved;
        }
        else
        {
            _liveBytes -= At(index).Length;
            _wastedBytes += At(index).Length;
        }
        At(last) = default;
        Count--;
        // Removals are rare (privacy deletes, tombstones in old journals); their keys' bytes are reclaimed in one pass
        // once they outweigh the live ones.
        if (_wastedBytes > ArenaChunkBytes && _wastedBytes > _liveBytes) Compact();
        return true;
    }

    public void Clear()
    {
        _buckets = new Bucket[64];
        _entries.Clear();
        _arena.Clear();
        _chunk = -1;
        _used = 0;
        _liveBytes = _wastedBytes = 0;
        Count = 0;
    }

    private ref Entry At(int index) => ref _entries[index >> EntryShift][index & EntryMask];

    /// <summary>Copies a key into the arena: into the chunk being filled, a new one, or a chunk of its own when large.</summary>
    private (int Chunk, int Offset) Store(ReadOnlySpan<byte> key)
    {
        if (key.Length > ArenaChunkBytes / 16)
        {
            _arena.Add(key.ToArray());
            return (_arena.Count - 1, 0);
        }
        if (_chunk < 0 || _used + key.Length > ArenaChunkBytes)
        {
            _arena.Add(new byte[ArenaChunkBytes]);
            _chunk = _arena.Count - 1;
            _used = 0;
        }
        key.CopyTo(_arena[_chunk].AsSpan(_used));
        var offset = _used;
        _used += key.Length;
        return (_chunk, offset);
    }

    private void Place(int hash, int entry)
    {
        var mask = _buckets.Length - 1;
        var b = hash & mask;
        while (_buckets[b].Entry != 0) b = (b + 1) & mask;
        _buckets[b] = new Bucket { Hash = hash, Entry = entry };
    }

    private int BucketOf(int hash, int entry)
    {
        var mask = _buckets.Length - 1;
        var b = hash & mask;
        while (_buckets[b].Entry != entry) b = (b + 1) & mask;
        return b;
    }

    /// <summary>Empties a bucket and shifts back the ones after it that probed past it, so no probe stops short.</summary>
    private void ClearBucket(int hole)
    {
        var mask = _buckets.Length - 1;
        for (var next = (hole + 1) & mask; _buckets[next].Entry != 0; next = (next + 1) & mask)
        {
            var home = _buckets[next].Hash & mask;
            // The bucket may stay where it is if its home lies cyclically after the hole and not after itself.
            var stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (stays) continue;
            _buckets[hole] = _buckets[next];
            hole = next;
        }
        _buckets[hole] = default;
    }

    private void Rehash(int size)
    {
        _buckets = new Bucket[size];
        for (var i = 0; i < Count; i++) Place(At(i).Hash, i + 1);
    }

    private void Compact()
    {
        var old = _arena.ToArray();
        _arena.Clear();
        _chunk = -1;
        _used = 0;
        for (var i = 0; i < Count; i++)
        {
            ref var e = ref At(i);
            (e.Chunk, e.Offset) = Store(old[e.Chunk].AsSpan(e.Offset, e.Length));
        }
        _wastedBytes = 0;
    }
}
