using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sluice.Api;
using Sluice.Auth;
using Sluice.Collect.Bulk;

namespace Sluice.Collect;

/// <summary>
/// <c>POST /collect/bulk/{stream}</c>: CSV or NDJSON of any size, read as it arrives and committed to the event log
/// in chunks. A 200 means every row counted in <c>message_count</c> is durable.
/// </summary>
/// <remarks>
/// Not all-or-nothing, since a file may be larger than memory: without <c>droperrors=true</c> the first bad row
/// answers 400 naming its line, and <c>message_count</c> says how many rows before it are already stored (all of
/// them; none from that line on). With <c>droperrors=true</c> bad rows are skipped, counted and the first 100 listed.
/// </remarks>
internal static class BulkCollectApi
{
    public static IEndpointRouteBuilder MapBulkCollect(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/collect/bulk").RequireToken(Role.DataManager).WithTags("Collect").MapPost("/{stream}", PostAsync);
        return app;
    }

    private static async Task<IResult> PostAsync(
        HttpContext http, string stream, BulkIngest ingest, IOptions<CollectOptions> options)
    {
        if (!CollectParameters.IsValidStream(stream))
        {
            return ApiResults.Error(400, $"invalid stream name \"{stream}\": use letters, digits, '_', '-' and '.', at most 128 characters");
        }
        if (BulkRequest.From(http.Request, out var invalid) is not { } request)
        {
            return ApiResults.Error(invalid!.Status, invalid.Message);
        }
        var limit = options.Value.MaxBulkBytes;
        if (limit > 0 && http.Request.ContentLength > limit)
        {
            return ApiResults.Error(413, $"upload is larger than the limit of {limit} bytes (Sluice:Collect:MaxBulkBytes)");
        }
        // Kestrel's default cap (30 MB) is for ordinary requests; this route streams, so only the configured limit
        // applies: to the body as sent, and again, for a gzip body, to what it inflates to.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit > 0 ? limit : null;
        }

        var ct = http.RequestAborted;
        await using var body = request.Gzip
            ? new InflationGuardStream(http.Request.Body, limit, options.Value.MaxBulkCompressionRatio)
            : http.Request.Body;
        var rows = request.Format == BulkFormat.Csv
            ? CsvEventReader.ReadAsync(body, request.Csv, ct)
            : NdjsonEventReader.ReadAsync(body, request.Append, ct);
        var p = request.Parameters;
        var outcome = await ingest.RunAsync(http.Caller().Account, stream, rows, new BulkIngestOptions(p.DryRun, p.DropErrors, p.TimestampField), ct);
        return Answer(request, outcome, limit);
    }

    private static IResult Answer(BulkRequest request, BulkOutcome outcome, long limit)
    {
        var p = request.Parameters;
        var data = new BulkCollectResult(outcome.Stored, outcome.Rejected, request.ContentType, p.DropErrors, p.DryRun, p.TimestampField,
            p.Filename, outcome.Errors.Count > 0 ? outcome.Errors : null, outcome.StoppedAt is null ? null : outcome.StoppedAtLine);
        var kept = p.DryRun ? "nothing is stored (dry run)" : $"the {outcome.Stored} row(s) before it are stored, nothing from it on";

        if (outcome.SourceFailure is { } failure)
        {
            var (status, what) = failure switch
            {
                BadHttpRequestException { StatusCode: 413 } => (413, $"upload is larger than the limit of {limit} bytes"),
                InflationLimitException => (413, failure.Message),
                BadHttpRequestException => (400, "the request body could not be read"),
                InvalidDataException => (400, "the body is not valid gzip"),
                _ => (400, "the upload was cut off"),
            };
            var read = p.DryRun ? "nothing is stored (dry run)" : $"the {outcome.Stored} row(s) read before that are stored";
            return ApiResults.Error(status, $"{what}; {read}", data);
        }
        if (outcome.StoppedAt is { } stopped)
        {
            var hint = p.DropErrors ? "" : "; fix the line and send the rest, or pass droperrors=true to skip bad rows";
            return ApiResults.Error(400, $"{stopped}; {kept}{hint}", data);
        }
        if (outcome.Stored == 0)
        {
            return ApiResults.Error(400, outcome.Rejected > 0 ? $"no valid rows: {outcome.Errors[0]}" : "the upload holds no rows", data);
        }
        return ApiResults.Ok(data);
    }
}
