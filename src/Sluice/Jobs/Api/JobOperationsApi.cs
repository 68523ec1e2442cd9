using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Export;
using Sluice.Export.Braze;

namespace Sluice.Jobs.Api;

/// <summary>
/// What an operator does with a job: pause, resume, cancel and reconcile it (409 when its state does not allow it),
/// read its run log and its per-row log, and dry-run a Braze export config before creating the job.
/// </summary>
internal static class JobOperationsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;
    private const int DryRunRequests = 10;

    public static RouteGroupBuilder MapJobOperations(this RouteGroupBuilder group)
    {
        group.MapPost("/{id}/pause", (HttpContext http, string id, JobOperations ops, ILoggerFactory logs) => ApplyAsync(http, id, JobOperation.Pause, ops, logs))
            .RequireToken(Role.DataManager);
        group.MapPost("/{id}/resume", (HttpContext http, string id, JobOperations ops, ILoggerFactory logs) => ApplyAsync(http, id, JobOperation.Resume, ops, logs))
            .RequireToken(Role.DataManager);
        group.MapPost("/{id}/cancel", (HttpContext http, string id, JobOperations ops, ILoggerFactory logs) => ApplyAsync(http, id, JobOperation.Cancel, ops, logs))
            .RequireToken(Role.DataManager);
        group.MapPost("/{id}/reconcile", (HttpContext http, string id, JobOperations ops, ILoggerFactory logs) => ApplyAsync(http, id, JobOperation.Reconcile, ops, logs))
            .RequireToken(Role.DataManager);
        group.MapGet("/{id}/logs", LogsAsync).RequireToken(Role.DataManager);
        group.MapGet("/{id}/rows", RowsAsync).RequireToken(Role.DataManager);
        group.MapPost($"/{BrazeExportWorkflow.WorkflowName}/_dryrun", DryRunAsync).RequireToken(Role.DataManager);
        return group;
    }

    private static async Task<IResult> ApplyAsync(HttpContext http, string id, JobOperation op, JobOperations operations, ILoggerFactory logs)
    {
        var (outcome, job, message) = await operations.ApplyAsync(http.Caller().Account.Id, id, op, http.RequestAborted);
        return outcome switch
        {
            OperationOutcome.NotFound => JobApi.NotFound(id),
            OperationOutcome.Conflict => ApiResults.Error(409, message!, new JsonObject { ["status"] = job!.Status.Name() }),
            _ => job is null ? JobApi.NotFound(id) : ApiResults.Ok(await JobApi.RenderAsync(http, job, operations, logs)),
        };
    }

    private static async Task<IResult> LogsAsync(HttpContext http, string id, IJobStore store, string? limit)
    {
        if (ParseLimit(limit) is not { } n) return LimitError();
        if (await store.GetAsync(http.Caller().Account.Id, id, http.RequestAborted) is null) return JobApi.NotFound(id);
        var lines = await store.LogsAsync(id, n, http.RequestAborted);
        return ApiResults.Ok(new JsonArray([.. lines.Select(l => (JsonNode)JobView.Log(l.At, l.Level, l.Message))]));
    }

    private static async Task<IResult> RowsAsync(HttpContext http, string id, IJobStore store, IServiceProvider services, string? status, string? user, string? limit)
    {
        if (ParseLimit(limit) is not { } n) return LimitError();
        if (await store.GetAsync(http.Caller().Account.Id, id, http.RequestAborted) is null) return JobApi.NotFound(id);
        // The export's state store comes with the export engine; a node without it has no rows to show.
        if (services.GetService<IExportStateStore>() is not { } state) return ApiResults.Ok(new JsonArray());
        var rows = await state.RowsAsync(id, Blank(status), Blank(user), n, http.RequestAborted);
        return ApiResults.Ok(new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["at"] = ApiJson.Time(r.At),
            ["user"] = r.User,
            ["added"] = new JsonArray([.. r.Added.Select(a => (JsonNode)a)]),
            ["removed"] = new JsonArray([.. r.Removed.Select(a => (JsonNode)a)]),
            ["status"] = r.Status,
            ["error"] = r.Error,
            ["attempts"] = r.Attempts,
        })]));
    }

    private static async Task<IResult> DryRunAsync(HttpContext http, BrazeExportWorkflow workflow, IServiceProvider services)
    {
        var (json, error) = await RequestBody.ReadObjectAsync(http.Request, JobBody.MaxBytes);
        if (json is null) return error!;
        JobDraft? draft;
        var errors = new List<string>();
        using (json) draft = JobBody.ReadDraft(json.RootElement, errors);
        if (draft is null) return JobApi.Invalid(errors);

        var accountId = http.Caller().Account.Id;
        var (config, prepared) = await workflow.CheckAsync(accountId, draft, http.RequestAborted);
        if (config is null) return JobApi.Invalid(prepared.Errors, prepared.Warnings);
        if (services.GetService<IBrazeExportPlanner>() is not { } planner) return ApiResults.Error(501, "dry runs are not available on this node");
        var plan = await planner.DryRunAsync(accountId, config, DryRunRequests, http.RequestAborted);
        return ApiResults.Ok(new JsonObject
        {
            ["requests"] = new JsonArray([.. plan.Requests.Select(r => (JsonNode)r.DeepClone())]),
            ["users"] = plan.Users,
            ["requests_total"] = plan.RequestsTotal,
            ["skipped_no_id"] = plan.SkippedNoId,
            ["config"] = prepared.Config,
            ["warnings"] = new JsonArray([.. prepared.Warnings.Select(w => (JsonNode)w)]),
        });
    }

    private static int? ParseLimit(string? text) =>
        text is null ? DefaultLimit
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n
        : null;

    private static IResult LimitError() => ApiResults.Error(400, $"limit must be a whole number from 1 to {MaxLimit}");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
