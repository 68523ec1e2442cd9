namespace Sluice.Jobs;

/// <summary>
/// What every job grain (key: <c>{accountId}/{jobId}</c>) does the same way: pause, resume and cancel through the
/// stored status with a line in the run log, and one run loop on the thread pool that a pause, a cancel or a
/// deactivation stops and awaits. The activation stays alive while the loop runs. A workflow's grain supplies the
/// loop (<see cref="RunAsync"/>), its start and its progress.
/// </summary>
internal abstract class JobGrain(IJobStore jobs, TimeProvider time) : Grain
{
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;

    protected IJobStore Jobs { get; } = jobs;

    protected TimeProvider Time { get; } = time;

    // Read once on activation: the loop uses them on the thread pool, outside the activation's context.
    protected string AccountId { get; private set; } = "";

    protected string JobId { get; private set; } = "";

    /// <summary>Why the job last stopped or failed a run, shown with its progress; cleared on resume.</summary>
    protected string? Message { get; set; }

    /// <summary>Whether the run loop is going (a job whose loop has returned shows as stopped).</summary>
    protected bool IsRunning => _run is not null && !_loop.IsCompleted;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString().Split('/');
        (AccountId, JobId) = (key[0], key.Length > 1 ? key[1] : "");
        return Task.CompletedTask;
    }

    public async Task PauseAsync(string reason)
    {
        await StopAsync();
        await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Paused, reason, CancellationToken.None);
        await LogAsync("info", $"paused: {reason}");
    }

    public async Task ResumeAsync()
    {
        await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Running, null, CancellationToken.None);
        Message = null;
        await LogAsync("info", "resumed");
        EnsureRunning();
    }

    public async Task CancelAsync()
    {
        await StopAsync();
        await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Completed, "cancelled", CancellationToken.None);
        await OnCancelledAsync();
        await LogAsync("info", "cancelled");
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await StopAsync();

    /// <summary>
    /// The job's work while its stored status lets it run; it returns when the job pauses, fails or completes. It runs
    /// outside the activation's context, where the grain's own <c>GrainFactory</c> may not be used: it is given the factory.
    /// </summary>
    protected abstract Task RunAsync(IGrainFactory grains, CancellationToken ct);

    /// <summary>After a cancel is stored, before it is logged: what a job that never runs again lets go of.</summary>
    protected virtual Task OnCancelledAsync() => Task.CompletedTask;

    protected void EnsureRunning()
    {
        if (IsRunning) return;
        _run = new CancellationTokenSource();
        DelayDeactivation(TimeSpan.FromDays(3650));
        var ct = _run.Token;
        // On the thread pool: a job's steps are long I/O.
        var grains = GrainFactory;
        _loop = Task.Run(() => RunAsync(grains, ct), CancellationToken.None);
    }

    protected async Task StopAsync()
    {
        if (_run is null) return;
        await _run.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped between steps or inside one: what a step did not commit is done again from the committed place
            // on the next start.
        }
        _run.Dispose();
        _run = null;
    }

    protected Task LogAsync(string level, string message) => Jobs.LogAsync(JobId, Time.GetUtcNow(), level, message, CancellationToken.None);
}
