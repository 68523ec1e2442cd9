using System.Net;

namespace Sluice.WebConsole;

/// <summary>
/// The console's error page when a request failed before or outside a component could render one: plain HTML in the
/// console's style, with the request id to quote and never the exception.
/// </summary>
internal static class ErrorPage
{
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var text = WebUtility.HtmlEncode(message);
        return context.Response.WriteAsync(
            $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Error {{status}} · Sluice</title><link rel="stylesheet" href="{{ConsoleAssets.CssPath}}"></head>
            <body class="bare"><main class="card narrow"><h1>Something went wrong</h1><p>{{text}}</p>
            <p><a href="/">Back to the console</a></p></main></body></html>
            """);
    }
}
