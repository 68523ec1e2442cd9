using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// <see cref="IBrazeTrackClient"/> over the <see cref="BrazeHttp.TrackClient"/> named client: its resilience pipeline
/// retries 429, 5xx, timeouts and dropped connections without limit (see <see cref="BrazeServices"/>), and under it
/// <see cref="BrazeRateLimitHandler"/> paces every attempt. What reaches this class is a final answer.
/// </summary>
internal sealed partial class BrazeTrackClient(IHttpClientFactory factory, ILogger<BrazeTrackClient> log) : IBrazeTrackClient
{
    /// <summary>Braze's limit of objects per request, across attributes, events and purchases.</summary>
    public const int MaxObjects = 75;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<TrackResult> TrackAsync(BrazeWorkspace workspace, IReadOnlyList<JsonObject> attributes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attributes.Count, MaxObjects);
        if (attributes.Count == 0) return new TrackResult(TrackOutcome.Delivered, [], null, 0);

        var attempts = new AttemptCounter();
        using var request = new HttpRequestMessage(HttpMethod.Post, TrackUri(workspace));
        request.Content = new ByteArrayContent(Body(attributes)) { Headers = { ContentType = Json } };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", workspace.ApiKey);
        request.Options.Set(BrazeHttp.Workspace, workspace.Key);
        request.Options.Set(BrazeHttp.Attempts, attempts);

        using var response = await factory.CreateClient(BrazeHttp.TrackClient).SendAsync(request, ct);
        var (message, listed, unindexed) = await BrazeResponse.ReadAsync(response, workspace.ApiKey, ct);
        // One entry per object: Braze may list several problems of the same object.
        List<(int Index, string Message)> errors = [.. listed.GroupBy(e => e.Index).OrderBy(g => g.Key).Select(g => (g.Key, string.Join("; ", g.Select(e => e.Message))))];
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            if (errors.Count > 0 || unindexed.Count > 0) LogObjectErrors(workspace.Key, errors.Count + unindexed.Count, attributes.Count);
            // Errors that name no object are Braze's word on the request as a whole; the objects count as delivered.
            return new TrackResult(TrackOutcome.Delivered, errors, unindexed.Count > 0 ? string.Join("; ", unindexed) : null, attempts.Count) { RateLimited = attempts.RateLimited };
        }

        var (outcome, explanation) = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => (TrackOutcome.Unauthorized, Unauthorized(workspace, message)),
            HttpStatusCode.Forbidden => (TrackOutcome.Forbidden, Forbidden(message)),
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge =>
                (TrackOutcome.Rejected, $"Braze refused the request ({status}): {message ?? "no message"}{Listed(errors)}"),
            // A wrong URL (404, 405, a redirect to a login page) is a setup problem like a wrong key: pause, don't split.
            _ => (TrackOutcome.Unauthorized, $"{workspace.RestUrl} answered {status} to /users/track ({message ?? "no message"}): it is not a Braze REST endpoint; check the authorization's instance or rest_url"),
        };
        LogRefused(workspace.Key, status, explanation);
        // For a 400, Braze may still say which objects it refused; whoever splits the batch can use that.
        return new TrackResult(outcome, errors, explanation, attempts.Count) { RateLimited = attempts.RateLimited };
    }

    public static Uri TrackUri(BrazeWorkspace workspace)
    {
        var root = workspace.RestUrl.AbsoluteUri.EndsWith('/') ? workspace.RestUrl : new Uri(workspace.RestUrl.AbsoluteUri + "/");
        return new Uri(root, "users/track");
    }

    public static string Unauthorized(BrazeWorkspace workspace, string? message) =>
        $"Braze refused the API key (401{(message is null ? "" : ": " + message)}): the key is wrong or was deleted, or it belongs to " +
        $"another Braze instance than {workspace.RestUrl.Host} (a key works only on its own instance's REST URL)";

    public static string Forbidden(string? message) =>
        $"Braze refused /users/track for this key (403{(message is null ? "" : ": " + message)}): the key lacks the users.track " +
        "permission (or the Braze account is inactive); create a key with users.track, since a key's permissions cannot be edited";

    private static string Listed(List<(int Index, string Message)> errors) =>
        errors.Count == 0 ? "" : $" ({string.Join(", ", errors.Take(5).Select(e => $"attributes[{e.Index}]: {e.Message}"))}{(errors.Count > 5 ? ", ..." : "")})";

    private static byte[] Body(IReadOnlyList<JsonObject> attributes)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 * attributes.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("attributes");
            foreach (var a in attributes) a.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(LogLevel.Warning, "Braze workspace {Workspace} refused a /users/track request with {Status}: {Explanation}")]
    private partial void LogRefused(string workspace, int status, string explanation);

    [LoggerMessage(LogLevel.Information, "Braze workspace {Workspace} refused {Refused} of {Sent} objects in a /users/track request")]
    private partial void LogObjectErrors(string workspace, int refused, int sent);
}
