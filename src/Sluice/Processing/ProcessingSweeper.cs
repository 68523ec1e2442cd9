using Microsoft.Extensions.Options;
using Sluice.EventLog;

namespace Sluice.Processing;

/// <summary>
/// Connects the log to the partition grains: after every commit it notifies the partitions that received events
/// (one call per partition per commit, never per event), and every <see cref="ProcessingOptions.SweepInterval"/>
/// it nudges all partitions, which also resumes work left in the log by a crash.
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo up; it is started by the time the application has started.
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        writer.Committed += OnCommitted;
        try
        {
            using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
            do
            {
                for (var p = 0; p < partitioner.Count; p++)
                {
                    await grains.GetGrain<IPartitionGrain>(p).NotifyAsync(0);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            writer.Committed -= OnCommitted;
        }
    }

    private void OnCommitted(IReadOnlyDictionary<int, long> heads)
    {
        foreach (var (partition, position) in heads)
        {
            _ = NotifyAsync(partition, position);
        }
    }

    private async Task NotifyAsync(int partition, long position)
    {
        try
        {
            await grains.GetGrain<IPartitionGrain>(partition).NotifyAsync(position);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not notify partition {Partition}; the next sweep will", partition);
        }
    }
}
