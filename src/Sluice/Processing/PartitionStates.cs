using System.Collections.Concurrent;

namespace Sluice.Processing;

/// <summary>The in-memory state of each partition this node processes.</summary>
internal sealed class PartitionStates
{
    private readonly ConcurrentDictionary<int, PartitionState> _partitions = new();

    public PartitionState For(int partition) => _partitions.GetOrAdd(partition, _ => new PartitionState());
}
