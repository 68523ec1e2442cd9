using Microsoft.Extensions.Options;
using Sluice.EventLog;

namespace Sluice.Processing;

/// <summary>
/// Connects the log to the partition grains. After a commit the partitions that received events are marked, and one
/// loop sends a notification per marked partition, at most once per <see cref="ProcessingOptions.LiveBatchWindow"/>:
/// the first commit after a quiet spell is notified at once, and under load every commit of the window collapses
/// into one call, since a notified partition drains everything up to the head anyway. That is what makes live
/// batches (and their checkpoints) one per window instead of one per group commit. Every
/// <see cref="ProcessingOptions.SweepInterval"/> all partitions are nudged, which also resumes work left in the log by a crash.
/// </summary>
internal sealed class ProcessingSweeper(
    IGrainFactory grains,
    EventLogWriter writer,
    Partitioner partitioner,
    IOptions<ProcessingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ProcessingSweeper> log) : BackgroundService
{
    private readonly int[] _dirty = new int[partitioner.Count];
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo up; it is started by the time the application has started.
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        writer.Committed += OnCommitted;
        try
        {
            await Task.WhenAll(NotifyLoopAsync(stoppingToken), SweepLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            writer.Committed -= OnCommitted;
        }
    }

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            for (var p = 0; p < _dirty.Length; p++) Volatile.Write(ref _dirty[p], 1);
            _signal.Release();
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private async Task NotifyLoopAsync(CancellationToken ct)
    {
        var window = options.Value.LiveBatchWindow;
        var last = long.MinValue;
        while (true)
        {
            await _signal.WaitAsync(ct);
            // Commits signal many times per window; one pass below covers them all.
            while (_signal.CurrentCount > 0) await _signal.WaitAsync(ct);
            if (last != long.MinValue && time.GetElapsedTime(last) is var since && since < window)
            {
                await Task.Delay(window - since, time, ct);
            }
            last = time.GetTimestamp();
            for (var p = 0; p < _dirty.Length; p++)
            {
                if (Interlocked.Exchange(ref _dirty[p], 0) == 0) continue;
                try
                {
                    await grains.GetGrain<IPartitionGrain>(p).NotifyAsync(0);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(e, "Could not notify partition {Partition}; the next sweep will", p);
                }
            }
        }
    }

    private void OnCommitted(IReadOnlyDictionary<int, long> heads)
    {
        foreach (var partition in heads.Keys) Volatile.Write(ref _dirty[partition], 1);
        _signal.Release();
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }
}
