namespace Sluice.Jobs;

/// <summary>Job states by their Lytics names (<c>running</c>, <c>paused</c>, ...), as the API and the store spell them.</summary>
internal static class JobStatuses
{
    public static string Name(this JobStatus status) => status switch
    {
        JobStatus.Running => "running",
        JobStatus.Sleeping => "sleeping",
        JobStatus.Paused => "paused",
        JobStatus.Failed => "failed",
        JobStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus Parse(string name) => name switch
    {
        "running" => JobStatus.Running,
        "sleeping" => JobStatus.Sleeping,
        "paused" => JobStatus.Paused,
        "failed" => JobStatus.Failed,
        "completed" => JobStatus.Completed,
        _ => throw new FormatException($"unknown job status \"{name}\""),
    };

    /// <summary>States in which a job has a worker: running, or waiting for its next run.</summary>
    public static bool IsActive(this JobStatus status) => status is JobStatus.Running or JobStatus.Sleeping;
}
