using System.Text.Json.Nodes;

namespace Sluice.Jobs;

/// <summary>
/// A kind of job (<c>braze-export-audience</c>, <c>csv-import</c>): how its create body is checked, and the worker
/// that runs a job of it. Adding a workflow is one class registered as <see cref="IJobWorkflow"/>.
/// </summary>
internal interface IJobWorkflow
{
    /// <summary>The slug in <c>POST /v2/job/{workflow}</c> and in a job's <c>workflow</c>.</summary>
    string Name { get; }

    Task<JobPreparation> PrepareAsync(string accountId, JobDraft draft, CancellationToken ct);

    IJobWorker Worker(Job job);
}

/// <summary>
/// The process behind a stored job (an Orleans grain): asked to start, pause, resume, cancel and report. It writes
/// what it does (and why it stopped) to the job's run log.
/// </summary>
internal interface IJobWorker
{
    Task StartAsync();

    Task PauseAsync(string reason);

    Task ResumeAsync();

    Task CancelAsync();

    /// <summary>Whether <see cref="ReconcileAsync"/> means anything for this workflow.</summary>
    bool CanReconcile { get; }

    Task ReconcileAsync();

    /// <summary>Whether a completed job still has something to report (an import's totals); otherwise its worker is not asked.</summary>
    bool ReportsWhenCompleted => false;

    /// <summary>Delivery metrics and where the job stands, as the job API shows them.</summary>
    Task<JobProgressView> ProgressAsync();
}

/// <summary>A worker's report in the API's shape: <c>metrics</c> (counters) and <c>progress</c> (state, backfill).</summary>
internal sealed record JobProgressView(JsonObject Metrics, JsonObject Progress);
