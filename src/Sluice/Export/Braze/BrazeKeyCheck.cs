using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Sluice.Authorizations;

namespace Sluice.Export.Braze;

/// <summary>
/// Tests a Braze key and instance without changing any user: <c>POST /users/track</c> with an empty
/// <c>attributes</c> array. Braze (and the simulator) checks the key and its <c>users.track</c> permission first and
/// then refuses the empty request with a 400 ("Valid data must be provided"), so a 400 proves the key works for
/// exports and nothing was written. Other read endpoints would need permissions an export key does not have. It
/// goes through the workspace's limiter, like any request, and is not retried: the person testing wants an answer.
/// </summary>
internal sealed class BrazeKeyCheck(IHttpClientFactory factory, IOptions<BrazeOptions> options)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<ConnectionTest> CheckAsync(BrazeWorkspace workspace, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BrazeTrackClient.TrackUri(workspace));
        request.Content = new StringContent("""{"attributes":[]}""") { Headers = { ContentType = Json } };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", workspace.ApiKey);
        request.Options.Set(BrazeHttp.Workspace, workspace.Key);
        var host = workspace.RestUrl.Host;
        try
        {
            using var response = await factory.CreateClient(BrazeHttp.CheckClient).SendAsync(request, ct);
            var (message, _, _) = await BrazeResponse.ReadAsync(response, workspace.ApiKey, ct);
            var status = (int)response.StatusCode;
            return response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.BadRequest =>
                    new ConnectionTest(true, status, $"the key is valid on {host} and may send users (users.track); nothing was changed"),
                HttpStatusCode.Unauthorized => new ConnectionTest(false, status, BrazeTrackClient.Unauthorized(workspace, message)),
                HttpStatusCode.Forbidden => new ConnectionTest(false, status, BrazeTrackClient.Forbidden(message)),
                HttpStatusCode.TooManyRequests => new ConnectionTest(false, status, $"Braze is rate limiting this workspace right now (429); test again in a few seconds"),
                HttpStatusCode.NotFound => new ConnectionTest(false, status, $"no Braze REST API at {workspace.RestUrl} (404): check the instance or rest_url"),
                _ when status >= 500 => new ConnectionTest(false, status, $"Braze answered {status} ({message ?? "no message"}); it may be having an incident, test again later"),
                _ => new ConnectionTest(false, status, $"unexpected answer {status} from {workspace.RestUrl} ({message ?? "no message"})"),
            };
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ConnectionTest(false, 0, $"no answer from {host} within {options.Value.TestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new ConnectionTest(false, 0, $"could not reach {host}: {e.Message}");
        }
    }
}
