using System.Security.Cryptography;

namespace Sluice.Jobs;

/// <summary>
/// Creating jobs and operating them: the stored status is changed first (only from the states the operation allows,
/// atomically, so that a refused operation is a conflict and never reaches the worker), and then the job's worker is
/// told; the worker writes what it did to the job's run log. The worker reads the stored status when it
/// (re)activates, so a node that restarts between the two still does what was asked.
/// </summary>
internal sealed class JobOperations(IJobStore store, JobWorkflows workflows, TimeProvider time)
{
    public const string Info = "info";

    /// <summary>Job ids: 32 lower-case hex characters, random.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Checks the draft with its workflow and, if it passes, stores the job, logs it and starts its worker.</summary>
    public async Task<(Job? Job, JobPreparation Preparation)> CreateAsync(string accountId, IJobWorkflow workflow, JobDraft draft, CancellationToken ct)
    {
        var prepared = await workflow.PrepareAsync(accountId, draft, ct);
        if (prepared.Errors.Count > 0 || prepared.Config is null) return (null, prepared);
        var now = time.GetUtcNow();
        var job = new Job(NewId(), accountId, workflow.Name, draft.Label, draft.Description, draft.AuthIds, prepared.Config, JobStatus.Running, null, now, now);
        await store.CreateAsync(job, ct);
        await store.LogAsync(job.Id, now, Info, "created", ct);
        foreach (var warning in prepared.Warnings) await store.LogAsync(job.Id, now, "warning", warning, ct);
        await workflow.Worker(job).StartAsync();
        return (job, prepared);
    }

    public IJobWorker? WorkerOf(Job job) => workflows.Find(job.Workflow)?.Worker(job);

    /// <summary>Applies an operation; the outcome says whether the job exists and whether its state allowed it.</summary>
    public async Task<(OperationOutcome Outcome, Job? Job, string? Message)> ApplyAsync(string accountId, string id, JobOperation op, CancellationToken ct)
    {
        var job = await store.GetAsync(accountId, id, ct);
        if (job is null) return (OperationOutcome.NotFound, null, null);
        var worker = WorkerOf(job);
        if (worker is null || (op == JobOperation.Reconcile && !worker.CanReconcile))
        {
            return (OperationOutcome.Conflict, job, $"a {job.Workflow} job cannot {op.Verb()}");
        }
        var allowed = op.AllowedFrom();
        var message = op switch
        {
            JobOperation.Pause => "paused by an operator",
            JobOperation.Cancel => "cancelled by an operator",
            _ => null,
        };
        var moved = op.Target() is { } target
            ? await store.TrySetStatusAsync(accountId, id, allowed, target, message, ct)
            : allowed.Contains(job.Status);
        if (!moved)
        {
            var now = await store.GetAsync(accountId, id, ct) ?? job;
            return (OperationOutcome.Conflict, now, $"cannot {op.Verb()} a job that is {now.Status.Name()}");
        }
        await (op switch
        {
            JobOperation.Pause => worker.PauseAsync(message!),
            JobOperation.Resume => worker.ResumeAsync(),
            JobOperation.Cancel => worker.CancelAsync(),
            _ => worker.ReconcileAsync(),
        });
        return (OperationOutcome.Done, await store.GetAsync(accountId, id, ct), null);
    }
}

internal enum OperationOutcome
{
    Done,
    NotFound,
    Conflict,
}
