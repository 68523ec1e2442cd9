using System.Collections;

namespace Sluice.Processing;

/// <summary>
/// An append-only list in fixed chunks small enough to stay off the large object heap. A burst of new people queues a
/// million identity entries between two checkpoints: as one list, each doubling copied it into a new large array,
/// and large arrays are what set off full collections. Clearing keeps the first chunk for the next batches.
/// </summary>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    // 1,024 entries of up to 64 bytes: under the 85,000 bytes from which an array goes to the large object heap.
    private const int ChunkSize = 1024;

    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _chunks[index / ChunkSize][index % ChunkSize];
        }
    }

    public void Add(T item)
    {
        var chunk = Count / ChunkSize;
        if (chunk == _chunks.Count) _chunks.Add(new T[ChunkSize]);
        _chunks[chunk][Count % ChunkSize] = item;
        Count++;
    }

    public void Clear()
    {
        if (_chunks.Count > 0) Array.Clear(_chunks[0]);
        if (_chunks.Count > 1) _chunks.RemoveRange(1, _chunks.Count - 1);
        // A burst leaves a list of a thousand chunks behind; a live partition's stays at one.
        if (_chunks.Capacity > 64) _chunks.TrimExcess();
        Count = 0;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return _chunks[i / ChunkSize][i % ChunkSize];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
