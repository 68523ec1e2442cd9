namespace Sluice.Jobs;

/// <summary>Jobs and their run logs.</summary>
internal interface IJobStore
{
    Task CreateAsync(Job job, CancellationToken ct);

    Task<Job?> GetAsync(string accountId, string id, CancellationToken ct);

    Task<IReadOnlyList<Job>> ListAsync(string accountId, CancellationToken ct);

    /// <summary>Every job of every account in a state that needs a worker (running or sleeping), to start them when a node starts.</summary>
    Task<IReadOnlyList<Job>> ActiveAsync(CancellationToken ct);

    Task SetStatusAsync(string accountId, string id, JobStatus status, string? message, CancellationToken ct);

    /// <summary>Appends a line to the job's run log (timestamped by the store's caller).</summary>
    Task LogAsync(string jobId, DateTimeOffset at, string level, string message, CancellationToken ct);

    /// <summary>The newest lines of a job's run log, newest first.</summary>
    Task<IReadOnlyList<(DateTimeOffset At, string Level, string Message)>> LogsAsync(string jobId, int limit, CancellationToken ct);
}
