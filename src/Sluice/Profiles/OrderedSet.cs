using System.Collections;

namespace Sluice.Profiles;

/// <summary>
/// A set kept as a sorted list. Profiles hold a few values per set and the processor decodes, changes and encodes
/// thousands of profiles per second: a tree would cost an object per item, a list costs one array.
/// </summary>
internal sealed class OrderedSet<T>(IComparer<T> comparer) : IReadOnlyCollection<T>
{
    private readonly List<T> _items = [];

    public int Count => _items.Count;

    public bool Add(T item)
    {
        var at = _items.BinarySearch(item, comparer);
        if (at >= 0) return false;
        _items.Insert(~at, item);
        return true;
    }

    public void UnionWith(IEnumerable<T> other)
    {
        foreach (var item in other) Add(item);
    }

    public bool Contains(T item) => _items.BinarySearch(item, comparer) >= 0;

    public List<T>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
