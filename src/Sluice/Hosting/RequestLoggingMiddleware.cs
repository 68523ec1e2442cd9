using System.Diagnostics;

namespace Sluice.Hosting;

/// <summary>
/// One log line per request, with secrets in the query string redacted. ASP.NET Core's own request logging is
/// turned off (see <see cref="SluiceLogging"/>) because it writes the raw URL, token included.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (log.IsEnabled(LogLevel.Information))
            {
                log.LogInformation("HTTP {Method} {Path}{Query} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, context.Request.Path.Value, Redaction.Query(context.Request.QueryString),
                    context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
