namespace Sluice.Export;

/// <summary>
/// Placeholder for the export engine: it sends nothing to Braze. It only records the state transitions the job API
/// asks for and reports an empty progress, so that jobs can be created, listed and operated before the engine is in
/// place. The engine's own <c>ExportJobGrain</c> replaces this file.
/// </summary>
internal sealed class ExportJobGrain : Grain, IExportJobGrain
{
    private readonly List<string> _transitions = [];
    private string _state = "created";

    /// <summary>What the API asked of this activation, in order (for diagnosis only).</summary>
    public IReadOnlyList<string> Transitions => _transitions;

    public Task StartAsync() => Move("running");

    public Task PauseAsync(string reason) => Move("paused");

    public Task ResumeAsync() => Move("running");

    public Task CancelAsync() => Move("completed");

    public Task ReconcileAsync()
    {
        _transitions.Add("reconcile");
        return Task.CompletedTask;
    }

    public Task<ExportJobProgress> ProgressAsync() => Task.FromResult(new ExportJobProgress(_state, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null));

    private Task Move(string state)
    {
        _state = state;
        _transitions.Add(state);
        return Task.CompletedTask;
    }
}
