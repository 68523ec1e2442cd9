namespace Sluice.Jobs;

/// <summary>Jobs and their run logs.</summary>
internal interface IJobStore
{
    Task CreateAsync(Job job, CancellationToken ct);

    Task<Job?> GetAsync(string accountId, string id, CancellationToken ct);

    Task<IReadOnlyList<Job>> ListAsync(string accountId, CancellationToken ct);

    /// <summary>Every job of every account in a state that needs a worker (running or sleeping), to start them when a node starts.</summary>
    Task<IReadOnlyList<Job>> ActiveAsync(CancellationToken ct);

    /// <summary>Changes what a job is called and for; false when the account has no such job.</summary>
    Task<bool> UpdateAsync(string accountId, string id, string label, string? description, CancellationToken ct);

    Task SetStatusAsync(string accountId, string id, JobStatus status, string? message, CancellationToken ct);

    /// <summary>
    /// Moves a job to <paramref name="status"/> only from one of <paramref name="from"/>, in one statement, so that two
    /// operators (or nodes) racing cannot both win; false when the job is in another state or absent.
    /// </summary>
    Task<bool> TrySetStatusAsync(string accountId, string id, IReadOnlyCollection<JobStatus> from, JobStatus status, string? message, CancellationToken ct);

    /// <summary>Appends a line to the job's run log (timestamped by the store's caller).</summary>
    Task LogAsync(string jobId, DateTimeOffset at, string level, string message, CancellationToken ct);

    /// <summary>The newest lines of a job's run log, newest first.</summary>
    Task<IReadOnlyList<(DateTimeOffset At, string Level, string Message)>> LogsAsync(string jobId, int limit, CancellationToken ct);
}
