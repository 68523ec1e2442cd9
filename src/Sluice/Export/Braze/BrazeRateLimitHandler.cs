namespace Sluice.Export.Braze;

/// <summary>
/// Sits under the retry pipeline, so that every attempt (retries too) waits for its workspace's limiter and every
/// response, 429s included, teaches the limiter.
/// </summary>
internal sealed class BrazeRateLimitHandler(BrazeRateLimiters limiters) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = request.Options.TryGetValue(BrazeHttp.Workspace, out var workspace) ? workspace : request.RequestUri!.GetLeftPart(UriPartial.Authority);
        var limiter = limiters.For(key);
        using var lease = await limiter.AcquireAsync(cancellationToken);
        if (request.Options.TryGetValue(BrazeHttp.Attempts, out var attempts)) attempts.Increment();
        var response = await base.SendAsync(request, cancellationToken);
        limiter.OnResponse(response);
        if ((int)response.StatusCode == 429 && attempts is not null) attempts.CountRateLimited();
        return response;
    }
}
