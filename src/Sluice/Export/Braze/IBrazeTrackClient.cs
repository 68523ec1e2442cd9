using System.Text.Json.Nodes;

namespace Sluice.Export.Braze;

/// <summary>
/// Sends user attribute objects to Braze's <c>POST {rest_url}/users/track</c> as <c>{"attributes":[...]}</c>, at most
/// 75 per request, within the workspace's rate limit (one limiter per <see cref="BrazeWorkspace.Key"/>, shared by every
/// caller, learning its budget from Braze's <c>X-RateLimit-*</c> headers and backing off on 429). Transient failures
/// (429, 5xx, timeouts, dropped connections) are retried with exponential backoff and jitter until
/// <paramref name="ct"/> is cancelled: a call returns only with a final outcome. Safe to retry a request Braze
/// already applied: add and remove are set operations.
/// </summary>
internal interface IBrazeTrackClient
{
    Task<TrackResult> TrackAsync(BrazeWorkspace workspace, IReadOnlyList<JsonObject> attributes, CancellationToken ct);
}
