using System.Collections.Concurrent;

namespace Sluice.Processing;

/// <summary>
/// The in-memory state of each partition this node processes, and the background reads started for them: disposing
/// waits for those, so that nothing touches the store after the node (or a test) has let go of it.
/// </summary>
internal sealed class PartitionStates : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, PartitionState> _partitions = new();
    private readonly ConcurrentDictionary<Task, bool> _background = new();

    public PartitionState For(int partition) => _partitions.GetOrAdd(partition, _ => new PartitionState());

    /// <summary>Remembers a background task until it ends.</summary>
    public Task<T> Track<T>(Task<T> task)
    {
        _background[task] = true;
        task.ContinueWith(t => _background.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_background.Keys);
        }
        catch (Exception)
        {
            // A read ahead that failed was never going to be used; its batch rereads.
        }
    }
}
