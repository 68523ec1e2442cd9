using Microsoft.Extensions.Options;

namespace Sluice.Processing;

/// <summary>Maps an account to its partition with a stable hash (the same on every node and every run).</summary>
internal sealed class Partitioner(IOptions<ProcessingOptions> options)
{
    public int Count => options.Value.Partitions;

    public int For(string accountId)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and partitions must agree across nodes and restarts.
        var hash = 2166136261u;
        foreach (var ch in accountId)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return (int)(hash % (uint)options.Value.Partitions);
    }
}
