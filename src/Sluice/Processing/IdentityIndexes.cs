using System.Collections.Concurrent;

namespace Sluice.Processing;

/// <summary>The in-memory identity index of each partition this node processes.</summary>
internal sealed class IdentityIndexes
{
    private readonly ConcurrentDictionary<int, IdentityIndex> _partitions = new();

    public IdentityIndex For(int partition) => _partitions.GetOrAdd(partition, _ => new IdentityIndex());
}
