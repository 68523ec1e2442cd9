using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Jobs;

namespace Sluice.Import;

/// <summary>
/// An import job's grain as a <see cref="IJobWorker"/>, and its progress in the job API's shape: totals over every
/// run from the ledger (files, rows stored and refused), and the current run's rate and ETA from the grain.
/// </summary>
internal sealed class CsvImportWorker(ICsvImportJobGrain grain, IImportLedger ledger, string jobId) : IJobWorker
{
    public Task StartAsync() => grain.StartAsync();

    public Task PauseAsync(string reason) => grain.PauseAsync(reason);

    public Task ResumeAsync() => grain.ResumeAsync();

    public Task CancelAsync() => grain.CancelAsync();

    public bool CanReconcile => false;

    // A finished import's totals (files, rows stored and refused) are what an operator comes to see.
    public bool ReportsWhenCompleted => true;

    public Task ReconcileAsync() => throw new NotSupportedException("a csv-import job has nothing to reconcile");

    public async Task<JobProgressView> ProgressAsync()
    {
        var p = await grain.ProgressAsync();
        var files = await ledger.FilesAsync(jobId, CancellationToken.None);
        var metrics = new JsonObject
        {
            ["files_imported"] = files.Count(f => f.Status == ImportFileState.Done),
            ["files_duplicate"] = files.Count(f => f.Status == ImportFileState.Duplicate),
            ["files_failed"] = files.Count(f => f.Status == ImportFileState.Failed),
            ["rows_stored"] = files.Sum(f => f.Stored),
            ["rows_refused"] = files.Sum(f => f.Rejected),
        };
        var remaining = Math.Max(0, p.CurrentSize - p.CurrentRead);
        double? eta = p.CurrentFile is null ? null : p.BytesPerSecond > 0 ? Math.Round(remaining / p.BytesPerSecond, 1) : null;
        var progress = new JsonObject
        {
            ["state"] = p.State,
            ["message"] = p.Message,
            ["rows"] = p.Rows,
            ["rows_stored"] = p.Stored,
            ["rows_refused"] = p.Rejected,
            ["bytes"] = p.Bytes,
            ["rows_per_second"] = Math.Round(p.RowsPerSecond, 1),
            ["bytes_per_second"] = Math.Round(p.BytesPerSecond, 1),
            ["files"] = new JsonObject
            {
                ["seen"] = p.FilesSeen,
                ["done"] = p.FilesDone,
                ["skipped"] = p.FilesSkipped,
                ["failed"] = p.FilesFailed,
            },
            ["current_file"] = p.CurrentFile is null ? null : new JsonObject
            {
                ["name"] = p.CurrentFile,
                ["bytes_read"] = p.CurrentRead,
                ["size"] = p.CurrentSize,
                ["eta_seconds"] = eta,
            },
            ["next_run"] = p.NextRun is { } next ? ApiJson.Time(next) : null,
        };
        return new JobProgressView(metrics, progress);
    }
}
