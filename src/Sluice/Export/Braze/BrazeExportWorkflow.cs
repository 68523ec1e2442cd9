using Sluice.Audiences;
using Sluice.Authorizations;
using Sluice.Jobs;

namespace Sluice.Export.Braze;

/// <summary>
/// The <c>braze-export-audience</c> workflow: a config that parses (every bad key named), audiences and an external id
/// field the account has, and exactly one authorization that is a Braze workspace of the account. Its jobs run as
/// <see cref="IExportJobGrain"/>s keyed <c>{accountId}/{jobId}</c>.
/// </summary>
internal sealed class BrazeExportWorkflow(
    IGrainFactory grains, IExportStateStore state, AudienceRegistry audiences, BrazeExportValidation validation, IServiceProvider services) : IJobWorkflow
{
    public const string WorkflowName = "braze-export-audience";

    public string Name => WorkflowName;

    public async Task<JobPreparation> PrepareAsync(string accountId, JobDraft draft, CancellationToken ct) =>
        (await CheckAsync(accountId, draft, ct)).Preparation;

    /// <summary>The checks of a create body, with the parsed config when they pass (the dry run needs it).</summary>
    public async Task<(BrazeExportConfig? Config, JobPreparation Preparation)> CheckAsync(string accountId, JobDraft draft, CancellationToken ct)
    {
        var errors = new List<string>();
        var config = BrazeExportConfig.Parse(draft.Config, out var configErrors);
        errors.AddRange(configErrors.Select(e => $"config.{e}"));
        await CheckAuthorizationAsync(accountId, draft.AuthIds, errors, ct);
        if (config is null) return (null, new JobPreparation(null, errors, []));

        // The account's default audiences ("all", "known", ...) exist from its first use; make sure they do before
        // looking segment_ids up.
        await audiences.ForAccountAsync(accountId, ct);
        var (invalid, warnings, _) = await validation.CheckAsync(accountId, config, ct);
        errors.AddRange(invalid.Select(e => $"config.{e}"));
        return errors.Count > 0
            ? (null, new JobPreparation(null, errors, warnings))
            : (config, new JobPreparation(config.ToJson(), [], warnings));
    }

    private async Task CheckAuthorizationAsync(string accountId, IReadOnlyList<string> authIds, List<string> errors, CancellationToken ct)
    {
        if (authIds.Count != 1)
        {
            errors.Add($"auth_ids must list exactly one Braze authorization, not {authIds.Count}");
            return;
        }
        // Absent until Braze authorizations are configured on this node: then no id resolves.
        var credentials = services.GetService<IBrazeCredentials>();
        // The workspace (and its key) is only looked at, never kept or shown.
        if (credentials is null || await credentials.WorkspaceAsync(accountId, authIds[0], ct) is null)
        {
            errors.Add($"auth_ids: \"{authIds[0]}\" is not a Braze authorization of this account");
        }
    }

    public IJobWorker Worker(Job job) =>
        new ExportJobWorker(
            grains.GetGrain<IExportJobGrain>($"{job.AccountId}/{job.Id}"), state, job.Id, job.Config["existing_users"]?.GetValue<bool>() ?? false,
            services.GetService<TimeProvider>() ?? TimeProvider.System);
}
