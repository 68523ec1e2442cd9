using System.Text.Json.Nodes;
using Sluice.Export.Braze;
using Sluice.Jobs;

namespace Sluice.Export;

/// <summary>
/// An export job's grain as a <see cref="IJobWorker"/>, and its progress in the job API's shape. Whether the backfill
/// is complete comes from the job's saved checkpoint: its pass is the backfill from the job's first step until the
/// last page of profiles is sent (a later reconcile pass replaces it). The last 24 hours' totals come from the job's
/// stored per-minute counters, so they include what earlier activations and nodes did.
/// </summary>
internal sealed class ExportJobWorker(IExportJobGrain grain, IExportStateStore state, string jobId, bool backfill, TimeProvider time) : IJobWorker
{
    public Task StartAsync() => grain.StartAsync();

    public Task PauseAsync(string reason) => grain.PauseAsync(reason);

    public Task ResumeAsync() => grain.ResumeAsync();

    public Task CancelAsync() => grain.CancelAsync();

    public bool CanReconcile => true;

    public Task ReconcileAsync() => grain.ReconcileAsync();

    public async Task<JobProgressView> ProgressAsync()
    {
        var progress = await grain.ProgressAsync();
        var saved = await state.LoadAsync(jobId, CancellationToken.None);
        var complete = backfill && saved is not null && saved.Pass != BrazeExporter.Backfill;
        // The grain learns its place a moment after the store commits it: never show less done than is saved.
        if (saved is not null && saved.PassTotal == progress.BackfillTotal && saved.PassDone > progress.BackfillDone)
        {
            progress = progress with { BackfillDone = saved.PassDone };
        }
        var minutes = await state.MinutesAsync(jobId, time.GetUtcNow().AddHours(-24), CancellationToken.None);
        return Render(progress, backfill, complete, minutes);
    }

    public static JobProgressView Render(ExportJobProgress p, bool backfill, bool backfillComplete, IReadOnlyList<ExportMinute> minutes)
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
            ["last_24_hours"] = new JsonObject
            {
                ["objects_sent"] = minutes.Sum(m => m.Sent),
                ["failed_rows"] = minutes.Sum(m => m.Failed),
                ["retried_rows"] = minutes.Sum(m => m.Retried),
                ["rate_limited"] = minutes.Sum(m => m.RateLimited),
                ["minutes_rate_limited"] = minutes.Count(m => m.RateLimited > 0),
            },
        };
        var progress = new JsonObject
        {
            ["state"] = p.State,
            ["message"] = p.Message,
            // Without "existing users" there is no backfill to follow.
            ["backfill"] = backfill ? Backfill(p, backfillComplete) : null,
        };
        return new JobProgressView(metrics, progress);
    }

    private static JsonObject Backfill(ExportJobProgress p, bool complete)
    {
        var remaining = Math.Max(0, p.BackfillTotal - p.BackfillDone);
        double? eta = p.BackfillRatePerSecond > 0 ? Math.Round(remaining / p.BackfillRatePerSecond, 1) : remaining == 0 ? 0 : null;
        return new JsonObject
        {
            ["done"] = p.BackfillDone,
            ["total"] = p.BackfillTotal,
            ["rate_per_second"] = Math.Round(p.BackfillRatePerSecond, 1),
            ["eta_seconds"] = eta,
            ["complete"] = complete,
        };
    }
}
