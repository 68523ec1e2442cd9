using System.Net;
using System.Text;

namespace Sluice.BrazeSimulator.Tests;

public sealed class AuthAndLimitsTests
{
    private static readonly object OneUser = new { attributes = new[] { new { external_id = "u1", first_name = "Ann" } } };

    [Fact]
    public async Task A_request_without_a_key_is_401_with_a_json_body()
    {
        await using var sim = await SimFixture.StartAsync();
        using var anonymous = sim.NewClient(key: null);
        using var response = await sim.TrackAsync(OneUser, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid API key", (string?)(await SimFixture.ReadObjectAsync(response))["message"]);
        Assert.Null(await sim.UserAsync("u1"));
    }

    [Fact]
    public async Task An_unknown_key_is_401_and_the_body_never_echoes_it()
    {
        await using var sim = await SimFixture.StartAsync();
        using var client = sim.NewClient("wrong-secret-key");
        using var response = await sim.TrackAsync(OneUser, client);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("wrong-secret-key", await response.Content.ReadAsStringAsync(SimFixture.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_users_track_is_403_access_denied()
    {
        await using var sim = await SimFixture.StartAsync(o =>
        {
            o.Keys.Add(SimulatorApiKey.Parse("exporter"));
            o.Keys.Add(SimulatorApiKey.Parse("reader:users.export.ids,segments.list"));
        });
        using var reader = sim.NewClient("reader");
        using var denied = await sim.TrackAsync(OneUser, reader);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Access Denied", (string?)(await SimFixture.ReadObjectAsync(denied))["message"]);

        using var exporter = sim.NewClient("exporter");
        using var allowed = await sim.TrackAsync(OneUser, exporter);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);

        // Configured keys replace the default one.
        using var defaultKey = await sim.TrackAsync(OneUser);
        Assert.Equal(HttpStatusCode.Unauthorized, defaultKey.StatusCode);
    }

    [Fact]
    public async Task A_body_over_4_MB_is_413_and_one_at_the_limit_is_accepted()
    {
        await using var sim = await SimFixture.StartAsync();
        var limit = 4 * 1024 * 1024;
        var padding = new string(' ', limit);
        using var over = await sim.TrackAsync("{\"attributes\":[{\"external_id\":\"big\"}]}" + padding);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Null(await sim.UserAsync("big"));

        var body = "{\"attributes\":[{\"external_id\":\"big\"}]}";
        using var atLimit = await sim.TrackAsync(body + new string(' ', limit - Encoding.UTF8.GetByteCount(body)));
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_too()
    {
        await using var sim = await SimFixture.StartAsync(o => o.MaxBodyBytes = 1024);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"attributes\":[]}" + new string(' ', 2000))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "users/track") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await sim.Client.SendAsync(request, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Seventy_five_objects_in_total_pass_and_seventy_six_fail_as_a_whole()
    {
        await using var sim = await SimFixture.StartAsync();
        using var ok = await sim.TrackAsync(Objects(25, 25, 25));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        using var over = await sim.TrackAsync(Objects(26, 25, 25, prefix: "x"));
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var body = await SimFixture.ReadObjectAsync(over);
        Assert.Equal("Max Input Length Exceeded", (string?)body["message"]);
        Assert.Null(await sim.UserAsync("x-a0"));
    }

    [Fact]
    public async Task The_legacy_limit_allows_75_in_each_array()
    {
        await using var sim = await SimFixture.StartAsync(o => o.ObjectLimitMode = ObjectLimitMode.PerArray);
        using var ok = await sim.TrackAsync(Objects(75, 75, 75));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var over = await sim.TrackAsync(Objects(76, 0, 0));
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
    }

    [Fact]
    public async Task Unparsable_json_wrong_content_type_and_unknown_paths_are_json_errors()
    {
        await using var sim = await SimFixture.StartAsync();
        using var broken = await sim.TrackAsync("{\"attributes\":[");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("Received unparsable JSON body", (string?)(await SimFixture.ReadObjectAsync(broken))["message"]);

        using var text = await sim.Client.PostAsync("users/track", new StringContent("{}", Encoding.UTF8, "text/plain"), SimFixture.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);

        using var notArray = await sim.TrackAsync("{\"attributes\":{\"external_id\":\"a\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);

        using var empty = await sim.TrackAsync("{}");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        using var missing = await sim.Client.PostAsync("users/identify", new StringContent("{}", Encoding.UTF8, "application/json"), SimFixture.Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.NotNull((await SimFixture.ReadObjectAsync(missing))["message"]);
    }

    internal static object Objects(int attributes, int events, int purchases, string prefix = "u") => new
    {
        attributes = Enumerable.Range(0, attributes).Select(i => new { external_id = $"{prefix}-a{i}", first_name = "A" }),
        events = Enumerable.Range(0, events).Select(i => new { external_id = $"{prefix}-e{i}", name = "opened", time = "2025-01-01T00:00:00Z" }),
        purchases = Enumerable.Range(0, purchases).Select(i => new
        {
            external_id = $"{prefix}-p{i}", product_id = "sku-1", currency = "USD", price = 9.99, time = "2025-01-01T00:00:00Z",
        }),
    };
}
