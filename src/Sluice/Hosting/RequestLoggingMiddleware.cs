using System.Diagnostics;

namespace Sluice.Hosting;

/// <summary>
/// One log line per request: the route template rather than the path (a path such as
/// <c>/api/entity/user/email/{address}</c> carries personal data), and the query string with its values redacted
/// (<see cref="Redaction"/>). ASP.NET Core's own request logging is turned off (see <see cref="SluiceLogging"/>)
/// because it writes the raw URL, token included.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> log)
{
    /// <summary>What a request that matched no endpoint logs in place of its path.</summary>
    public const string Unrouted = "(no route)";

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
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? Unrouted;
                log.LogInformation("HTTP {Method} {Route}{Query} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, route, Redaction.Query(context.Request.QueryString),
                    context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
