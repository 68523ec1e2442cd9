using Sluice.Processing;

namespace Sluice.Tests;

/// <summary>The chunked list that holds identity entries pending a checkpoint keeps every entry, in order, across chunks and clears.</summary>
public sealed class ChunkedListTests
{
    [Fact]
    public void Entries_across_chunks_read_back_in_order_by_index_and_by_enumeration()
    {
        var list = new ChunkedList<int>();
        foreach (var count in new[] { 0, 1, 1023, 1024, 1025, 5000, 3 })
        {
            list.Clear();
            for (var i = 0; i < count; i++) list.Add(i * 7);
            Assert.Equal(count, list.Count);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i * 7), list);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i * 7), Enumerable.Range(0, count).Select(i => list[i]));
            Assert.Throws<ArgumentOutOfRangeException>(() => list[count]);
        }
    }
}
