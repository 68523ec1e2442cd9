using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Import;

namespace Sluice.Jobs.Api;

/// <summary>
/// Jobs as Lytics' <c>/v2/job</c>: create one of a workflow, list, read and relabel them. Operations on a job (pause,
/// resume, cancel, reconcile, its logs and rows) are in <see cref="JobOperationsApi"/>. Every route needs the
/// data_manager role; a job of another account is not found.
/// </summary>
internal static class JobApi
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/job").WithTags("Jobs");
        group.MapGet("/", ListAsync).RequireToken(Role.DataManager);
        group.MapGet("/{id}", GetAsync).RequireToken(Role.DataManager);
        group.MapPut("/{id}", UpdateAsync).RequireToken(Role.DataManager);
        group.MapPost("/{workflow}", CreateAsync).RequireToken(Role.DataManager);
        group.MapJobOperations();
        group.MapImportErrors();
        return app;
    }

    internal static IResult NotFound(string id) => ApiResults.Error(404, $"no job \"{id}\"");

    /// <summary>400 listing every problem; the data carries them one by one, and any warnings.</summary>
    internal static IResult Invalid(IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        ApiResults.Error(400, string.Join("; ", errors), new JsonObject
        {
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
            ["warnings"] = new JsonArray([.. (warnings ?? []).Select(w => (JsonNode)w)]),
        });

    /// <summary>The job as shown, with its worker's metrics and progress when it has a worker.</summary>
    internal static async Task<JsonObject> RenderAsync(HttpContext http, Job job, JobOperations operations, ILoggerFactory logs)
    {
        JobProgressView? progress = null;
        if (operations.WorkerOf(job) is { } worker && (job.Status != JobStatus.Completed || worker.ReportsWhenCompleted))
        {
            try
            {
                progress = await worker.ProgressAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The job is still shown (from the store) when its worker cannot answer.
                logs.CreateLogger(typeof(JobApi)).LogWarning(e, "Job {JobId} did not report its progress", job.Id);
            }
        }
        return JobView.Render(job, http.Caller().Account, progress);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IJobStore store, JobOperations operations, ILoggerFactory logs, string? workflow, [FromQuery(Name = "show_completed")] string? showCompletedText)
    {
        var account = http.Caller().Account;
        var showCompleted = true;
        if (showCompletedText is not null && !bool.TryParse(showCompletedText, out showCompleted)) return ApiResults.Error(400, "show_completed must be true or false");
        var list = new JsonArray();
        foreach (var job in await store.ListAsync(account.Id, http.RequestAborted))
        {
            if (workflow is not null && job.Workflow != workflow) continue;
            if (!showCompleted && job.Status == JobStatus.Completed) continue;
            list.Add(await RenderAsync(http, job, operations, logs));
        }
        return ApiResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, IJobStore store, JobOperations operations, ILoggerFactory logs)
    {
        var job = await store.GetAsync(http.Caller().Account.Id, id, http.RequestAborted);
        return job is null ? NotFound(id) : ApiResults.Ok(await RenderAsync(http, job, operations, logs));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string workflow, JobWorkflows workflows, JobOperations operations, ILoggerFactory logs)
    {
        if (workflows.Find(workflow) is not { } found)
        {
            return ApiResults.Error(404, $"no workflow \"{workflow}\"; known workflows: {string.Join(", ", workflows.Names)}");
        }
        var (json, error) = await RequestBody.ReadObjectAsync(http.Request, JobBody.MaxBytes);
        if (json is null) return error!;
        JobDraft? draft;
        var errors = new List<string>();
        using (json) draft = JobBody.ReadDraft(json.RootElement, errors);
        if (draft is null) return Invalid(errors);

        var (job, prepared) = await operations.CreateAsync(http.Caller().Account.Id, found, draft, http.RequestAborted);
        if (job is null) return Invalid(prepared.Errors, prepared.Warnings);
        var view = await RenderAsync(http, job, operations, logs);
        view["warnings"] = new JsonArray([.. prepared.Warnings.Select(w => (JsonNode)w)]);
        return ApiResults.Created(view);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, IJobStore store, JobOperations operations, ILoggerFactory logs)
    {
        var accountId = http.Caller().Account.Id;
        var job = await store.GetAsync(accountId, id, http.RequestAborted);
        if (job is null) return NotFound(id);
        var (json, error) = await RequestBody.ReadObjectAsync(http.Request, JobBody.MaxBytes);
        if (json is null) return error!;
        var errors = new List<string>();
        (string? Label, string? Description, bool HasDescription)? change;
        using (json) change = JobBody.ReadChange(json.RootElement, errors);
        if (change is not { } c) return Invalid(errors);

        await store.UpdateAsync(accountId, id, c.Label ?? job.Label, c.HasDescription ? c.Description : job.Description, http.RequestAborted);
        var changed = await store.GetAsync(accountId, id, http.RequestAborted);
        return changed is null ? NotFound(id) : ApiResults.Ok(await RenderAsync(http, changed, operations, logs));
    }
}
