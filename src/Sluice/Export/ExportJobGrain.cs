using Sluice.Audiences;
using Sluice.Authorizations;
using Sluice.Export.Braze;
using Sluice.Jobs;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Export;

/// <summary>
/// Runs one Braze export job: while its stored status is running, steps a <see cref="BrazeExporter"/> in a loop,
/// waiting a short poll interval whenever the feed is quiet (a quarter of the job's linger, between 50 and 250 ms,
/// so a change reaches Braze within the linger plus the request). Braze refusing the key pauses the job with the
/// reason; any other failure is logged and retried after a pause, since the feed and the told state make a step
/// repeatable.
/// </summary>
internal sealed class ExportJobGrain(
    IJobStore jobs, IBrazeCredentials credentials, IAudienceStore audiences, IExportStateStore state, IProfileStore profiles,
    IBrazeTrackClient client, Partitioner partitioner, TimeProvider time, ILogger<ExportJobGrain> log) : JobGrain(jobs, time), IExportJobGrain
{
    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(5);

    private readonly ExportMetrics _metrics = new();
    private BrazeExporter? _exporter;

    // The place of an exporter dropped after a pause or a failure, shown until the next one has loaded.
    private ExportCheckpoint? _dropped;
    private bool _reconcile;
    private DateTimeOffset _passStarted;
    private long _passStartDone;
    private TimeSpan _pollInterval = TimeSpan.FromMilliseconds(250);

    public async Task StartAsync()
    {
        var job = await Jobs.GetAsync(AccountId, JobId, CancellationToken.None);
        if (job?.Status != JobStatus.Running) return;
        // Before answering: a new job's place in the feed is the head at this moment, so every change after its
        // creation (which the API answers only after this call) is the job's, however late its loop starts.
        if (!IsRunning)
        {
            // On the thread pool: a backfill's first step counts the account's profiles, which is I/O.
            var grains = GrainFactory;
            _exporter ??= await Task.Run(() => CreateAsync(grains, CancellationToken.None));
        }
        EnsureRunning();
    }

    protected override async Task OnCancelledAsync()
    {
        // A cancelled job never runs again: what it told Braze about each user (identifiers included) is of no
        // further use, so it is not kept. The row log stays for its 30 days, as for any job.
        await state.ForgetAsync(JobId, CancellationToken.None);
        (_exporter, _dropped) = (null, null);
    }

    public Task ReconcileAsync()
    {
        _reconcile = true;
        EnsureRunning();
        return LogAsync("info", "reconcile requested: every profile's difference is recomputed and only what differs is sent");
    }

    public async Task<ExportJobProgress> ProgressAsync()
    {
        // How many feed entries of the partition the job has yet to look at (0: it has seen every change so far).
        var head = await audiences.FeedHeadAsync(partitioner.For(AccountId), CancellationToken.None);
        var c = _exporter?.Checkpoint ?? _dropped;
        var elapsed = (Time.GetUtcNow() - _passStarted).TotalSeconds;
        var rate = c?.Pass is not null && elapsed > 0 ? (c.PassDone - _passStartDone) / elapsed : 0;
        return new ExportJobProgress(
            IsRunning ? c?.Pass ?? "streaming" : "stopped", _metrics.ObjectsSent, _metrics.Requests, _metrics.RateLimited, _metrics.Retries, _metrics.FailedRows,
            _metrics.DataPoints, _metrics.SkippedNoId, c?.PassDone ?? 0, c?.PassTotal ?? 0, rate, c is null ? 0 : Math.Max(0, head - c.FeedSeq), Message);
    }

    protected override async Task RunAsync(IGrainFactory grains, CancellationToken ct)
    {
        try
        {
            await StepLoopAsync(grains, ct);
        }
        finally
        {
            // A step leaves its save and the next step's reads running; they finish (or fail) before the job is
            // paused, cancelled or forgotten, so no late save lands after them.
            if (_exporter is { } exporter) await exporter.DrainAsync();
        }
    }

    private async Task StepLoopAsync(IGrainFactory grains, CancellationToken ct)
    {
        // The pass as last seen: a step's save commits during the next step, so a pass may end between steps.
        string? seenPass = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var exporter = _exporter ??= await CreateAsync(grains, ct);
                if (exporter is null) return;
                if (_reconcile)
                {
                    _reconcile = false;
                    await exporter.StartReconcileAsync(ct);
                    (_passStarted, _passStartDone) = (Time.GetUtcNow(), 0);
                }
                seenPass ??= exporter.Checkpoint.Pass;
                var looked = await exporter.StepAsync(ct);
                // The run log says when a pass ends: an operator who asked for a reconcile learns that it is done.
                var pass = exporter.Checkpoint.Pass;
                if (seenPass is not null && pass is null) await LogAsync("info", $"{seenPass} finished over {exporter.Checkpoint.PassDone} profiles");
                seenPass = pass;
                if (looked == 0) await Task.Delay(_pollInterval, Time, ct);
            }
            catch (ExportPausedException e)
            {
                Message = e.Message;
                // Some of the step's requests may have been applied: resuming starts from the saved place, and the
                // new exporter sets the whole arrays of what the unsaved steps may have sent.
                if (_exporter is { } paused)
                {
                    await paused.DrainAsync();
                    _dropped = paused.Checkpoint;
                }
                _exporter = null;
                await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Paused, e.Message, CancellationToken.None);
                await LogAsync("error", $"paused: {e.Message}");
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Message = e.Message;
                if (_exporter is { } failed)
                {
                    await failed.DrainAsync();
                    _dropped = failed.Checkpoint;
                }
                _exporter = null;
                log.LogError(e, "Export job {Job} failed a step; retrying in {Seconds} s", JobId, FailurePause.TotalSeconds);
                await Task.Delay(FailurePause, Time, ct);
            }
        }
    }

    /// <summary>The exporter for the job as stored now, or null (and the job fails) when it cannot run at all.</summary>
    private async Task<BrazeExporter?> CreateAsync(IGrainFactory grains, CancellationToken ct)
    {
        var job = await Jobs.GetAsync(AccountId, JobId, ct);
        if (job is null || job.Status != JobStatus.Running) return null;
        var config = BrazeExportConfig.Parse(job.Config, out var errors);
        var workspace = job.AuthIds.Count > 0 ? await credentials.WorkspaceAsync(AccountId, job.AuthIds[0], ct) : null;
        if (config is null || workspace is null)
        {
            var reason = config is null ? $"invalid config: {string.Join("; ", errors)}" : "its Braze authorization is gone";
            await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Failed, reason, ct);
            await LogAsync("error", reason);
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in config.SegmentIds)
        {
            if (await audiences.FindAsync(AccountId, id, ct) is { } a) (values[a.Id], values[a.Token]) = (config.SlugPrefix + a.Slug, config.SlugPrefix + a.Slug);
            else await LogAsync("warning", $"audience \"{id}\" no longer exists and is not exported");
        }
        _pollInterval = TimeSpan.FromMilliseconds(Math.Clamp(config.LingerMs / 4, 50, 250));
        var partition = partitioner.For(AccountId);
        var exporter = new BrazeExporter(AccountId, JobId, config, workspace, values, grains.GetGrain<IPartitionGrain>(partition), partition,
            audiences, state, profiles, client, _metrics, Time, log);
        if (await exporter.InitAsync(ct) && config.ExistingUsers) await LogAsync("info", "backfill of existing members started");
        (_passStarted, _passStartDone) = (Time.GetUtcNow(), exporter.Checkpoint.PassDone);
        return exporter;
    }
}
