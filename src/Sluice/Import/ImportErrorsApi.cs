using System.Text;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Jobs;
using Sluice.Jobs.Api;

namespace Sluice.Import;

/// <summary>
/// <c>GET /v2/job/{id}/errors</c>: the refused rows of an import job as a CSV file (<c>file,line,reason</c>), in the
/// order they were met, streamed rather than built in memory. Reasons never quote a row's values.
/// </summary>
internal static class ImportErrorsApi
{
    public static RouteGroupBuilder MapImportErrors(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}/errors", DownloadAsync).RequireToken(Role.DataManager);
        return group;
    }

    /// <summary>
    /// The same file for the console's job detail: a link there carries the console's session cookie, not a token,
    /// so it has its own path under the console's policy.
    /// </summary>
    public static IEndpointRouteBuilder MapConsoleImportErrors(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsolePath("{id}"), DownloadAsync).RequireAuthorization(TokenPolicies.Console(Role.DataManager)).ExcludeFromDescription();
        return app;
    }

    /// <summary>Where the console downloads a job's error file.</summary>
    public static string ConsolePath(string jobId) => $"/jobs/{jobId}/errors.csv";

    private static async Task<IResult> DownloadAsync(HttpContext http, string id, IJobStore store, IImportLedger ledger)
    {
        var job = await store.GetAsync(http.Caller().Account.Id, id, http.RequestAborted);
        if (job is null) return JobApi.NotFound(id);
        if (job.Workflow != CsvImportWorkflow.WorkflowName) return ApiResults.Error(409, $"a {job.Workflow} job has no error file; only csv-import jobs do");
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16);
            await writer.WriteAsync("file,line,reason\n");
            await foreach (var e in ledger.ErrorsAsync(id, http.RequestAborted))
            {
                await writer.WriteAsync($"{Field(e.File)},{e.Line},{Field(e.Reason)}\n");
            }
        }, "text/csv; charset=utf-8", $"{id}-errors.csv");
    }

    /// <summary>RFC 4180: quoted when it holds a comma, a quote or a line break, with quotes doubled.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
