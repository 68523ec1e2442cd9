namespace Sluice.Jobs;

/// <summary>
/// Starts the worker of every job that should be working (running or sleeping) once the node is up: a job's worker
/// is a grain, activated only when called, so after a restart nothing would run until an operator looked at it.
/// </summary>
internal sealed class JobStarter(IJobStore store, JobWorkflows workflows, IHostApplicationLifetime lifetime, ILogger<JobStarter> log) : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every active job found at start has been asked to start (or failed to).</summary>
    public Task Completion => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo up; it is started by the time the application has started.
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            foreach (var job in await store.ActiveAsync(stoppingToken))
            {
                stoppingToken.ThrowIfCancellationRequested();
                if (workflows.Find(job.Workflow) is not { } workflow)
                {
                    log.LogWarning("Job {JobId} has workflow {Workflow}, which this node does not know; not started", job.Id, job.Workflow);
                    continue;
                }
                try
                {
                    await workflow.Worker(job).StartAsync();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // One job that cannot start must not keep the others from starting.
                    log.LogError(e, "Could not start job {JobId} ({Workflow})", job.Id, job.Workflow);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _done.TrySetResult();
        }
    }
}
