namespace Sluice.Hosting;

/// <summary>
/// Log filters that are part of the product, not of a settings file that could be edited away: the framework's
/// request logs carry raw URLs (with <c>?key=</c> tokens) and stay off below Warning.
/// </summary>
internal static class SluiceLogging
{
    public static ILoggingBuilder AddSluiceLogging(this ILoggingBuilder logging, bool json)
    {
        logging.ClearProviders();
        if (json)
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        // Off entirely rather than at Warning: while this category is enabled at all, hosting starts an Activity and a
        // log scope for every request (a sixth of what a webhook request allocated), and it logs nothing above
        // Information but startup errors caught with CaptureStartupErrors, which Sluice leaves off (they end the
        // process with their exception). Unhandled request errors are logged by ErrorHandlingMiddleware.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        // Authentication and authorization log every refused request at Information; the request log already has
        // the status, and a client guessing tokens should not fill the log.
        logging.AddFilter("Microsoft.AspNetCore.Authentication", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Authorization", LogLevel.Warning);
        // IHttpClientFactory logs two lines per request at Information: hundreds a second while an export runs.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }
}
