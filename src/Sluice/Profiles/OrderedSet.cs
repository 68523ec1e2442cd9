using System.Collections;

namespace Sluice.Profiles;

/// <summary>
/// A set kept as a sorted array. Profiles hold a few values per set and the processor decodes, changes and encodes
/// thousands of profiles per second: a tree costs an object per item, this costs one array (none while empty).
/// </summary>
internal sealed class OrderedSet<T>(IComparer<T> comparer) : IReadOnlyCollection<T>
{
    private T[] _items = [];

    public int Count { get; private set; }

    public bool Add(T item)
    {
        var at = Array.BinarySearch(_items, 0, Count, item, comparer);
        if (at >= 0) return false;
        at = ~at;
        if (Count == _items.Length) Array.Resize(ref _items, Math.Max(2, Count * 2));
        Array.Copy(_items, at, _items, at + 1, Count - at);
        _items[at] = item;
        Count++;
        return true;
    }

    public bool Contains(T item) => Array.BinarySearch(_items, 0, Count, item, comparer) >= 0;

    public bool Remove(T item)
    {
        var at = Array.BinarySearch(_items, 0, Count, item, comparer);
        if (at < 0) return false;
        Array.Copy(_items, at + 1, _items, at, Count - at - 1);
        Count--;
        _items[Count] = default!;
        return true;
    }

    public void UnionWith(IEnumerable<T> other)
    {
        foreach (var item in other) Add(item);
    }

    public ArraySegment<T>.Enumerator GetEnumerator() => new ArraySegment<T>(_items, 0, Count).GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
