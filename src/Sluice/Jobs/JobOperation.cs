namespace Sluice.Jobs;

/// <summary>What an operator can ask of a job, and from which states each is allowed.</summary>
internal enum JobOperation
{
    Pause,
    Resume,
    Cancel,
    Reconcile,
}

internal static class JobOperationRules
{
    private static readonly JobStatus[] Active = [JobStatus.Running, JobStatus.Sleeping];
    private static readonly JobStatus[] Stopped = [JobStatus.Paused, JobStatus.Failed];
    private static readonly JobStatus[] NotCompleted = [JobStatus.Running, JobStatus.Sleeping, JobStatus.Paused, JobStatus.Failed];

    /// <summary>The states the operation may start from; a failed job resumes once its cause is fixed.</summary>
    public static IReadOnlyCollection<JobStatus> AllowedFrom(this JobOperation op) => op switch
    {
        JobOperation.Pause => Active,
        JobOperation.Resume => Stopped,
        JobOperation.Cancel => NotCompleted,
        // A reconcile needs a worker to run it; a paused job reconciles after it is resumed.
        JobOperation.Reconcile => Active,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>The state a job is in after the operation; null for one that leaves it as it is.</summary>
    public static JobStatus? Target(this JobOperation op) => op switch
    {
        JobOperation.Pause => JobStatus.Paused,
        JobOperation.Resume => JobStatus.Running,
        JobOperation.Cancel => JobStatus.Completed,
        _ => null,
    };

    public static string Verb(this JobOperation op) => op.ToString().ToLowerInvariant();
}
