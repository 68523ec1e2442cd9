using Sluice.Import;

namespace Sluice.Jobs;

/// <summary>
/// The <c>csv-import</c> workflow (SPEC §6.2): a config that parses (every bad key named), and exactly one
/// authorization whose source opens and has the configured directory. Its jobs run as
/// <see cref="ICsvImportJobGrain"/>s keyed <c>{accountId}/{jobId}</c>.
/// </summary>
internal sealed class CsvImportWorkflow(IGrainFactory grains, IImportSources sources, IImportLedger ledger) : IJobWorkflow
{
    public const string WorkflowName = "csv-import";

    public string Name => WorkflowName;

    public async Task<JobPreparation> PrepareAsync(string accountId, JobDraft draft, CancellationToken ct)
    {
        var config = CsvImportConfig.Parse(draft.Config, out var configErrors);
        var errors = configErrors.Select(e => $"config.{e}").ToList();
        if (draft.AuthIds.Count != 1)
        {
            errors.Add($"auth_ids must list exactly one SFTP authorization, not {draft.AuthIds.Count}");
            return JobPreparation.Refused([.. errors]);
        }
        var opening = await sources.OpenAsync(accountId, draft.AuthIds[0], ct);
        if (opening.Source is not { } source)
        {
            errors.Add($"auth_ids: \"{draft.AuthIds[0]}\" cannot be imported from: {opening.Error}");
            return JobPreparation.Refused([.. errors]);
        }
        await using (source)
        {
            if (config is not null && await DirectoryProblemAsync(source, config.Directory, ct) is { } problem) errors.Add($"config.directory: {problem}");
        }
        return errors.Count > 0 || config is null ? JobPreparation.Refused([.. errors]) : new JobPreparation(config.ToJson(), [], []);
    }

    /// <summary>Why the directory cannot be listed, or null: a job that could never find a file is refused at creation.</summary>
    private static async Task<string?> DirectoryProblemAsync(IImportSource source, string directory, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in source.ListAsync(directory, ct)) break;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"\"{directory}\" cannot be listed: {e.Message}";
        }
    }

    public IJobWorker Worker(Job job) => new CsvImportWorker(grains.GetGrain<ICsvImportJobGrain>($"{job.AccountId}/{job.Id}"), ledger, job.Id);
}
