using Sluice.WebConsole;

namespace Sluice.Api;

/// <summary>
/// Last line of defence: any exception becomes an error without a stack trace (JSON on the API, HTML in the console). Client mistakes that surface as
/// exceptions (a body over Kestrel's limit, a client that hung up) keep their 4xx status.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request body is too large" : "malformed request";
            await WriteAsync(context, e.StatusCode, message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var id = context.TraceIdentifier;
            log.LogError(e, "Unhandled error in {Method} {Route} (request {RequestId})", context.Request.Method, context.GetEndpoint()?.DisplayName, id);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, $"internal error (request {id})");
        }
    }

    /// <summary>API paths answer in the JSON envelope; the console's pages get an HTML page.</summary>
    private static Task WriteAsync(HttpContext context, int status, string message) =>
        ApiPaths.IsApi(context.Request.Path) ? ApiResults.WriteErrorAsync(context, status, message) : ErrorPage.WriteAsync(context, status, message);
}
