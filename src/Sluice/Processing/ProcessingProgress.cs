using System.Collections.Concurrent;

namespace Sluice.Processing;

/// <summary>
/// The log position each partition has applied on this node, with waiters: lets callers (tests, the CLI,
/// read-your-writes APIs) await "profiles include position N" instead of guessing with delays.
/// </summary>
internal sealed class ProcessingProgress
{
    private readonly ConcurrentDictionary<int, long> _positions = new();
    private readonly Lock _gate = new();
    private readonly List<(int Partition, long Position, TaskCompletionSource Done)> _waiters = [];

    public long PositionOf(int partition) => _positions.GetValueOrDefault(partition);

    public void Advance(int partition, long position)
    {
        _positions.AddOrUpdate(partition, position, (_, old) => Math.Max(old, position));
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (w.Partition == partition && w.Position <= position)
                {
                    w.Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public async Task WaitForAsync(int partition, long position, CancellationToken ct)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (PositionOf(partition) >= position) return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((partition, position, done));
        }
        await done.Task.WaitAsync(ct);
    }
}
