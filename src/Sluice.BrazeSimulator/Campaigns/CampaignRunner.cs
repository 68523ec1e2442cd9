using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Sluice.BrazeSimulator.Hosting;
using Sluice.BrazeSimulator.Segments;

namespace Sluice.BrazeSimulator.Campaigns;

/// <summary>Sends webhook campaigns the way Braze does: one request per user of the segment, 408/429/5xx and network
/// failures retried up to <see cref="BrazeSimulatorOptions.WebhookMaxRetries"/> times with exponential backoff (or
/// longer when the receiver sends Retry-After), other 4xx and 3xx not retried, 90 s to answer, only 2xx delivered.
/// Braze only sends to ports 80 and 443; the simulator sends anywhere so tests can use ephemeral ports.</summary>
internal sealed class CampaignRunner(
    IHttpClientFactory httpClients,
    SimulatorState state,
    IHostApplicationLifetime lifetime) : IAsyncDisposable
{
    public const string HttpClientName = "braze-sim-webhooks";
    private readonly ConcurrentDictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    public Campaign? Find(string id) => _campaigns.GetValueOrDefault(id);

    public IEnumerable<Campaign> All => _campaigns.Values;

    public Campaign Start(CompiledCampaign compiled, SegmentFilter filter)
    {
        var id = NewId();
        var campaign = new Campaign(id, compiled.Name, NewId());
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["api_id"] = id,
            ["name"] = compiled.Name,
            ["dispatch_id"] = campaign.DispatchId,
        };
        var targets = state.Store
            .Query(filter.Matches, u => new Target(u.ExternalId, u.BrazeId, WebhookModel.For(u, variables)))
            .ToList();
        campaign.Total = targets.Count;
        _campaigns[id] = campaign;
        _running[id] = Task.Run(() => RunAsync(campaign, compiled, targets, lifetime.ApplicationStopping));
        return campaign;
    }

    private async Task RunAsync(Campaign campaign, CompiledCampaign compiled, List<Target> targets, CancellationToken cancellationToken)
    {
        var time = state.Time;
        var client = httpClients.CreateClient(HttpClientName);
        var interval = compiled.RatePerMinute > 0 ? TimeSpan.FromMinutes(1) / compiled.RatePerMinute : TimeSpan.Zero;
        var start = time.GetUtcNow();
        try
        {
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Max(1, state.Options.WebhookConcurrency),
                CancellationToken = cancellationToken,
            };
            await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count), parallel, async (i, token) =>
            {
                if (interval > TimeSpan.Zero)
                {
                    var wait = start + (interval * i) - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, token);
                    }
                }

                await DeliverAsync(client, campaign, compiled, targets[i], token);
            });
            campaign.Status = "completed";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            campaign.Status = "canceled";
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is going away under a send in flight.
            campaign.Status = "canceled";
        }
        finally
        {
            _running.TryRemove(campaign.Id, out _);
        }
    }

    private async Task DeliverAsync(HttpClient client, Campaign campaign, CompiledCampaign compiled, Target target, CancellationToken cancellationToken)
    {
        var options = state.Options;
        var time = state.Time;
        string url;
        string? body;
        List<KeyValuePair<string, string>> headers;
        try
        {
            url = compiled.Url.Render(target.Model);
            body = compiled.Body?.Render(target.Model);
            headers = compiled.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.Render(target.Model))).ToList();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            campaign.Failed(new DeliveryFailure(target.UserId, target.BrazeId, 0, 0, "template: " + ex.Message));
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            campaign.Attempted();
            var (status, retryAfter, reason) = await SendOnceAsync(client, compiled.Method, url, headers, body, cancellationToken);
            if (status is >= 200 and < 300)
            {
                campaign.Delivered();
                return;
            }

            var retryable = status is 0 or 408 or 429 or >= 500;
            if (!retryable || attempt > options.WebhookMaxRetries)
            {
                campaign.Failed(new DeliveryFailure(target.UserId, target.BrazeId, status, attempt, reason));
                return;
            }

            campaign.Retried();
            var delay = options.WebhookRetryBaseDelay * Math.Pow(2, attempt - 1);
            if (retryAfter > delay)
            {
                delay = retryAfter.Value;
            }

            // The delay's timer exists before the counter moves, so a test that sees the counter can advance a fake clock.
            var wait = Task.Delay(delay, time, cancellationToken);
            campaign.BackoffScheduled();
            await wait;
        }
    }

    private async Task<(int Status, TimeSpan? RetryAfter, string Reason)> SendOnceAsync(
        HttpClient client, HttpMethod method, string url, List<KeyValuePair<string, string>> headers, string? body, CancellationToken cancellationToken)
    {
        var time = state.Time;
        using var timeout = new CancellationTokenSource(state.Options.WebhookTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null && method != HttpMethod.Get)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            foreach (var (name, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
                {
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            TimeSpan? retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - time.GetUtcNow(),
                _ => null,
            };
            return (status, retryAfter, "HTTP " + status.ToString(CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (0, null, $"no answer within {state.Options.WebhookTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return (0, null, ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            // A URL that renders to nothing usable is not retried: no retry would fix it.
            return (400, null, "bad URL: " + ex.Message);
        }
    }

    /// <summary>Waits for sends to notice the host stopping, so none outlives the HTTP client it uses.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_running.Values);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Already recorded on the campaign.
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private sealed record Target(string? UserId, string BrazeId, Dictionary<string, object?> Model);
}

/// <summary>A campaign whose templates parsed.</summary>
internal sealed record CompiledCampaign(
    string Name,
    HttpMethod Method,
    LiquidTemplate Url,
    IReadOnlyDictionary<string, LiquidTemplate> Headers,
    LiquidTemplate? Body,
    int RatePerMinute);
