namespace Sluice.Processing;

/// <summary>The partition's stored position moved under this node (a reprocess, or another node): its state reloads.</summary>
internal sealed class PartitionMovedException(int partition)
    : Exception($"partition {partition} was checkpointed elsewhere (a reprocess, or another node); its state reloads from the store");
