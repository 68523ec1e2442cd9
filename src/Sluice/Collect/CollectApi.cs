using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Sluice.Api;
using Sluice.Auth;

namespace Sluice.Collect;

/// <summary>
/// The collect routes: <c>/c/{aid}/{stream}</c> (the URL Braze webhooks call), <c>/collect/json/{stream}</c>
/// (account from the token), and pixel-style GETs. A 2xx is sent only once the events are durable in the log.
/// </summary>
internal static class CollectApi
{
    private const string FormType = "application/x-www-form-urlencoded";

    private static readonly string[] JsonTypes =
        ["application/json", "text/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "text/plain"];

    public static IEndpointRouteBuilder MapCollect(this IEndpointRouteBuilder app)
    {
        // The service is a singleton, taken once here rather than per request: a handler parameter resolved from
        // the request's services opens a service scope for every webhook.
        var collect = app.ServiceProvider.GetRequiredService<CollectService>();
        var post = (HttpContext http, string stream) => PostAsync(http, stream, collect);
        var get = (HttpContext http, string stream) => GetAsync(http, stream, collect);

        var byAccount = app.MapGroup("/c/{aid}").RequireToken(Role.DataManager).WithTags("Collect");
        byAccount.MapPost("/{stream}", post);
        byAccount.MapGet("/{stream}", get);

        var byToken = app.MapGroup("/collect/json").RequireToken(Role.DataManager).WithTags("Collect");
        byToken.MapPost("/{stream}", post);
        byToken.MapGet("/{stream}", get);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string stream, CollectService collect)
    {
        if (!CollectParameters.IsValidStream(stream)) return InvalidStream(stream);
        var json = KeyValueEvent.ToJson(http.Request.Query);
        if (json is null) return ApiResults.Error(400, "the query string holds no event fields (only reserved parameters)");
        return await AcceptAsync(http, stream, "application/x-www-form-urlencoded", collect, json, json.Length);
    }

    private static async Task<IResult> PostAsync(HttpContext http, string stream, CollectService collect)
    {
        if (!CollectParameters.IsValidStream(stream)) return InvalidStream(stream);
        var request = http.Request;
        var mediaType = MediaType(request.ContentType);
        var isForm = mediaType is FormType;
        var isJson = mediaType.Length == 0 || JsonTypes.Contains(mediaType) || mediaType.EndsWith("+json", StringComparison.Ordinal);
        if (!isForm && !isJson)
        {
            return ApiResults.Error(415, $"unsupported content type \"{mediaType}\": send JSON (application/json), NDJSON (application/x-ndjson) or a form post");
        }

        var body = await BodyReader.ReadAsync(request, collect.Options.MaxBodyBytes, http.RequestAborted);
        if (body is not { } b)
        {
            return ApiResults.Error(413, $"request body is larger than the limit of {collect.Options.MaxBodyBytes} bytes; use /collect/bulk for large uploads");
        }
        try
        {
            var text = b.Buffer.AsSpan(0, b.Length);
            var trimmed = text.TrimStart(" \t\r\n"u8);
            // Tools such as curl -d label JSON as a form; a body that starts like JSON is read as JSON.
            if (isForm && !(trimmed.Length > 0 && (trimmed[0] == (byte)'{' || trimmed[0] == (byte)'[')))
            {
                var json = KeyValueEvent.ToJson(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(text)));
                if (json is null) return ApiResults.Error(400, "the form holds no event fields");
                return await AcceptAsync(http, stream, mediaType, collect, json, json.Length);
            }
            if (trimmed.Length == 0) return ApiResults.Error(400, "request body is empty: send a JSON object, an array of objects or NDJSON");
            return await AcceptAsync(http, stream, mediaType.Length == 0 ? "application/json" : mediaType, collect, b.Buffer, b.Length);
        }
        finally
        {
            BodyReader.Return(b.Buffer);
        }
    }

    private static async ValueTask<IResult> AcceptAsync(HttpContext http, string stream, string contentType, CollectService collect, byte[] buffer, int length)
    {
        var parsed = new ParsedBody();
        var error = CollectBodyParser.Parse(buffer.AsMemory(0, length), collect.Options.MaxEventsPerRequest, parsed);
        if (error is not null) return ApiResults.Error(error.Status, error.Message);

        var p = CollectParameters.From(http.Request);
        var (refused, result, _) = await collect.AcceptAsync(http.Caller().Account, stream, contentType, p, parsed, http.RequestAborted);
        return refused is not null ? ApiResults.Error(refused.Status, refused.Message) : new CollectOkResult(result!);
    }

    /// <summary>
    /// The content type's media type in lower case, without parameters: one of the known types' own strings when
    /// it is one of them (what webhooks send), so that no string is built for it.
    /// </summary>
    private static string MediaType(string? contentType)
    {
        if (contentType is null) return "";
        var span = contentType.AsSpan();
        if (span.IndexOf(';') is var semicolon and >= 0) span = span[..semicolon];
        span = span.Trim();
        foreach (var known in JsonTypes)
        {
            if (span.Equals(known, StringComparison.OrdinalIgnoreCase)) return known;
        }
        return span.Equals(FormType, StringComparison.OrdinalIgnoreCase) ? FormType : span.ToString().ToLowerInvariant();
    }

    private static IResult InvalidStream(string stream) =>
        ApiResults.Error(400, $"invalid stream name \"{stream}\": use letters, digits, '_', '-' and '.', at most 128 characters");
}
