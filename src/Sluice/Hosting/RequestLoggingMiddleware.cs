using System.Diagnostics;

namespace Sluice.Hosting;

/// <summary>
/// One log line per request: the route template rather than the path (a path such as
/// <c>/api/entity/user/email/{address}</c> carries personal data), and the query string with its values redacted
/// (<see cref="Redaction"/>). ASP.NET Core's own request logging is turned off (see <see cref="SluiceLogging"/>)
/// because it writes the raw URL, token included.
/// </summary>
/// <para>
/// Successful requests log at Debug, errors (4xx, 5xx) and requests slower than <see cref="SlowRequest"/> at
/// Information: a webhook burst is tens of thousands of 2xx a second, and a line each was a sixth of the CPU a
/// collect request cost (the console sink's queue was the most contended lock in the process). Every request is
/// logged again with <c>Logging:LogLevel:Sluice.Hosting.RequestLoggingMiddleware=Debug</c>. When the line is off
/// nothing is formatted.
/// </para>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> log)
{
    /// <summary>What a request that matched no endpoint logs in place of its path.</summary>
    public const string Unrouted = "(no route)";

    /// <summary>A successful request that took at least this long is logged at Information.</summary>
    public static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var level = LevelOf(status, elapsed);
            if (log.IsEnabled(level))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? Unrouted;
                Responded(log, level, context.Request.Method, route, Redaction.Query(context.Request.QueryString), status, elapsed.TotalMilliseconds);
            }
        }
    }

    /// <summary>Debug for a quick success; Information for an error or a slow request.</summary>
    public static LogLevel LevelOf(int status, TimeSpan elapsed) => status >= 400 || elapsed >= SlowRequest ? LogLevel.Information : LogLevel.Debug;

    [LoggerMessage(EventId = 1, Message = "HTTP {Method} {Route}{Query} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Responded(ILogger logger, LogLevel level, string method, string route, string query, int statusCode, double elapsedMs);
}
