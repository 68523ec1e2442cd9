using Sluice.Jobs;

namespace Sluice.Import;

/// <summary>
/// Runs one csv-import job: while its stored status is running, opens the job's source, imports every matching file
/// it has not finished (see <see cref="CsvFileImporter"/>), applies <c>after_import</c>, then completes or sleeps until
/// the next poll on the <see cref="ImportClock"/>. A failure of the source (a cut connection) is logged and the run
/// retried after a pause, resuming the file from its committed position; a refused source fails the job with the
/// reason.
/// </summary>
internal sealed class CsvImportJobGrain(
    IJobStore jobs, IImportSources sources, IImportLedger ledger, CsvFileImporter importer, ImportClock clock, TimeProvider time,
    ILogger<CsvImportJobGrain> log) : JobGrain(jobs, time), ICsvImportJobGrain
{
    /// <summary>Refused rows written to the run log per file; the rest are in the error file only.</summary>
    public const int MaxLoggedErrorsPerFile = 1000;

    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(30);

    private ImportProgress _progress = new();
    private DateTimeOffset _runStarted;
    private DateTimeOffset? _nextRun;

    public async Task StartAsync()
    {
        var job = await Jobs.GetAsync(AccountId, JobId, CancellationToken.None);
        if (job?.Status is JobStatus.Running or JobStatus.Sleeping) EnsureRunning();
    }

    public Task<CsvImportJobProgress> ProgressAsync()
    {
        var p = _progress;
        var elapsed = (Time.GetUtcNow() - _runStarted).TotalSeconds;
        var current = p.Current;
        return Task.FromResult(new CsvImportJobProgress(
            !IsRunning ? "stopped" : current is not null ? "importing" : _nextRun is not null ? "sleeping" : "listing",
            p.Rows, p.Stored, p.Rejected, p.Bytes,
            elapsed > 0 ? p.Rows / elapsed : 0, elapsed > 0 ? p.Bytes / elapsed : 0,
            current?.Name, current?.Read ?? 0, current?.Size ?? 0,
            p.FilesSeen, p.FilesDone, p.FilesSkipped, p.FilesFailed, Message, _nextRun));
    }

    protected override async Task RunAsync(IGrainFactory grains, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var job = await Jobs.GetAsync(AccountId, JobId, ct);
            if (job is null) return;
            if (job.Status == JobStatus.Sleeping)
            {
                // Woken by a restart during its sleep: the poll it was waiting for is run now.
                if (!await Jobs.TrySetStatusAsync(AccountId, JobId, [JobStatus.Sleeping], JobStatus.Running, null, ct)) return;
            }
            else if (job.Status != JobStatus.Running)
            {
                return;
            }
            var config = CsvImportConfig.Parse(job.Config, out var errors);
            if (config is null || job.AuthIds.Count != 1)
            {
                await FailAsync($"invalid config: {string.Join("; ", errors)}");
                return;
            }

            (_progress, _runStarted, _nextRun) = (new ImportProgress(), Time.GetUtcNow(), null);
            try
            {
                var opening = await sources.OpenAsync(AccountId, job.AuthIds[0], ct);
                if (opening.Source is not { } source)
                {
                    await FailAsync(opening.Error ?? "the import source cannot be opened");
                    return;
                }
                await using (source) await RunOnceAsync(source, config, ct);
                Message = null;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The source failed (a cut connection, a server gone): nothing committed is lost, and the next try
                // resumes each file from its position.
                Message = $"the run failed and is retried in {FailurePause.TotalSeconds:0} s: {e.Message}";
                log.LogWarning(e, "Import job {JobId} failed a run; retrying", JobId);
                // The pause is on the clock before the failure shows in the log, so a clock moved on after seeing it ends the pause.
                var pause = Task.Delay(FailurePause, clock.Time, ct);
                await LogAsync("error", Message);
                await pause;
                continue;
            }

            if (config.RunEveryMinutes is not { } minutes)
            {
                var p = _progress;
                var summary = $"imported {p.FilesDone} file(s): {p.Stored} rows stored, {p.Rejected} refused" +
                    (p.FilesSkipped > 0 ? $"; {p.FilesSkipped} already imported" : "") + (p.FilesFailed > 0 ? $"; {p.FilesFailed} failed" : "");
                await Jobs.TrySetStatusAsync(AccountId, JobId, [JobStatus.Running], JobStatus.Completed, summary, CancellationToken.None);
                await LogAsync("info", $"completed: {summary}");
                return;
            }
            // The wait is registered before the job shows as sleeping, so a clock moved on after seeing "sleeping" wakes it.
            var period = TimeSpan.FromMinutes(minutes);
            _nextRun = clock.Time.GetUtcNow() + period;
            var wait = Task.Delay(period, clock.Time, ct);
            if (!await Jobs.TrySetStatusAsync(AccountId, JobId, [JobStatus.Running], JobStatus.Sleeping, $"next poll at {_nextRun:O}", CancellationToken.None)) return;
            await wait;
            if (!await Jobs.TrySetStatusAsync(AccountId, JobId, [JobStatus.Sleeping], JobStatus.Running, null, CancellationToken.None)) return;
        }
    }

    /// <summary>One pass over the directory: every matching file not yet finished, oldest first.</summary>
    private async Task RunOnceAsync(IImportSource source, CsvImportConfig config, CancellationToken ct)
    {
        var files = new List<ImportFile>();
        await foreach (var f in source.ListAsync(config.Directory, ct))
        {
            if (System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(config.FilePattern, f.Name, ignoreCase: false)) files.Add(f);
        }
        files.Sort((a, b) => a.Modified != b.Modified ? a.Modified.CompareTo(b.Modified) : string.CompareOrdinal(a.Name, b.Name));
        _progress.FilesSeen = files.Count;
        var target = new ImportTarget(AccountId, JobId, config);

        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var state = await ledger.FindAsync(JobId, ImportFileState.KeyOf(file), ct);
            if (state is { Finished: true })
            {
                _progress.FilesSkipped++;
                // A crash between finishing a file and moving it: the move is done now.
                if (state.Status != ImportFileState.Failed) await AfterImportAsync(source, file, config, ct);
                continue;
            }
            if (state is null && await SameContentAsync(source, file, ct) is { } twin)
            {
                _progress.FilesSkipped++;
                await LogAsync("info", $"{file.Name}: not imported, same content as {twin.Name} (already imported)");
                await AfterImportAsync(source, file, config, ct);
                continue;
            }

            await LogAsync("info", state is null ? $"{file.Name}: importing ({file.Size} bytes)" : $"{file.Name}: resuming after row {state.Rows}");
            var logged = 0;
            var done = await importer.ImportAsync(target, source, file, state, _progress, async e =>
            {
                if (++logged <= MaxLoggedErrorsPerFile) await LogAsync("warning", $"{e.File} line {e.Line}: {e.Reason}");
                else if (logged == MaxLoggedErrorsPerFile + 1) await LogAsync("warning", $"{file.Name}: further refused rows are listed in the error file only");
            }, ct);
            if (done.Status == ImportFileState.Failed)
            {
                _progress.FilesFailed++;
                await LogAsync("error", $"{file.Name}: stopped after {done.Rows} rows ({done.Stored} stored, {done.Rejected} refused); the file cannot be read further, see the error file");
                continue;
            }
            _progress.FilesDone++;
            await LogAsync("info", $"{file.Name}: done, {done.Stored} rows stored, {done.Rejected} refused");
            await AfterImportAsync(source, file, config, ct);
        }
    }

    /// <summary>
    /// A finished file of the same size and content under another name or time (a re-upload), or null. Only then is
    /// the file read for its hash before importing: an unseen size cannot be a re-upload.
    /// </summary>
    private async Task<ImportFileState?> SameContentAsync(IImportSource source, ImportFile file, CancellationToken ct)
    {
        var twins = (await ledger.FilesAsync(JobId, ct)).Where(f => f.Size == file.Size && f.Hash is not null).ToList();
        if (twins.Count == 0) return null;
        await using var raw = new HashingStream(await source.OpenReadAsync(file, ct));
        var hash = await raw.FinishAsync(ct);
        if (twins.FirstOrDefault(t => t.Hash == hash) is not { } twin) return null;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await ledger.SaveAsync(new ImportFileState(AccountId, JobId, ImportFileState.KeyOf(file), file.Path, file.Size, file.Modified.ToUnixTimeMilliseconds(),
            0, 0, 0, ImportFileState.Duplicate, hash, now), ct);
        return twin;
    }

    private async Task AfterImportAsync(IImportSource source, ImportFile file, CsvImportConfig config, CancellationToken ct)
    {
        try
        {
            if (config.AfterImport == "delete")
            {
                await source.DeleteAsync(file, ct);
                await LogAsync("info", $"{file.Name}: deleted after import");
            }
            else if (config.MoveTo is { } folder)
            {
                await source.MoveAsync(file, folder, ct);
                await LogAsync("info", $"{file.Name}: moved to {folder}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file is imported either way, and remembered: it is not imported again where it stays.
            await LogAsync("warning", $"{file.Name}: after_import {config.AfterImport} failed: {e.Message}");
        }
    }

    private async Task FailAsync(string reason)
    {
        Message = reason;
        await Jobs.SetStatusAsync(AccountId, JobId, JobStatus.Failed, reason, CancellationToken.None);
        await LogAsync("error", reason);
    }
}
