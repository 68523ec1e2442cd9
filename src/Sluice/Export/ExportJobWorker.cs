using System.Text.Json.Nodes;
using Sluice.Jobs;

namespace Sluice.Export;

/// <summary>An export job's grain as a <see cref="IJobWorker"/>, and its progress in the job API's shape.</summary>
internal sealed class ExportJobWorker(IExportJobGrain grain, bool backfill) : IJobWorker
{
    public Task StartAsync() => grain.StartAsync();

    public Task PauseAsync(string reason) => grain.PauseAsync(reason);

    public Task ResumeAsync() => grain.ResumeAsync();

    public Task CancelAsync() => grain.CancelAsync();

    public bool CanReconcile => true;

    public Task ReconcileAsync() => grain.ReconcileAsync();

    public async Task<JobProgressView> ProgressAsync() => Render(await grain.ProgressAsync(), backfill);

    public static JobProgressView Render(ExportJobProgress p, bool backfill)
    {
        var metrics = new JsonObject
        {
            ["objects_sent"] = p.ObjectsSent,
            ["requests"] = p.Requests,
            ["rate_limited"] = p.RateLimited,
            ["retries"] = p.Retries,
            ["failed_rows"] = p.FailedRows,
            ["data_points"] = p.DataPoints,
            ["skipped_no_id"] = p.SkippedNoId,
            ["lag"] = p.FeedLag,
        };
        var progress = new JsonObject
        {
            ["state"] = p.State,
            ["message"] = p.Message,
            // Without "existing users" there is no backfill to follow.
            ["backfill"] = backfill ? Backfill(p) : null,
        };
        return new JobProgressView(metrics, progress);
    }

    private static JsonObject Backfill(ExportJobProgress p)
    {
        var remaining = Math.Max(0, p.BackfillTotal - p.BackfillDone);
        double? eta = p.BackfillRatePerSecond > 0 ? Math.Round(remaining / p.BackfillRatePerSecond, 1) : remaining == 0 ? 0 : null;
        return new JsonObject
        {
            ["done"] = p.BackfillDone,
            ["total"] = p.BackfillTotal,
            ["rate_per_second"] = Math.Round(p.BackfillRatePerSecond, 1),
            ["eta_seconds"] = eta,
            // A total of 0 means the total is not known yet (or the audiences are empty): not complete.
            ["complete"] = p.BackfillTotal > 0 && p.BackfillDone >= p.BackfillTotal,
        };
    }
}
