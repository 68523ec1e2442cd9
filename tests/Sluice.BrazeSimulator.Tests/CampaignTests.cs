using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.BrazeSimulator.Tests;

public sealed class CampaignTests
{
    /// <summary>The body of the Lytics "braze_users" webhook from the integration page, as a Braze template.</summary>
    internal const string SeedBodyTemplate = """
        {
          "city": "{{${city}}}",
          "country": "{{${country}}}",
          "first_name": "{{${first_name}}}",
          "gender": "{{${gender}}}",
          "language": "{{${language}}}",
          "last_name": "{{${last_name}}}",
          "date_of_birth": "{{${date_of_birth}}}",
          "phone_number": "{{${phone_number}}}",
          "time_zone": "{{${time_zone}}}",
          "twitter_handle": "{{custom_attribute.${twitter_handle}}}",
          "email": "{{${email_address}}}",
          "braze_id": "{{${braze_id}}}"
        }
        """;

    private static readonly object John = new
    {
        attributes = new[]
        {
            new
            {
                external_id = "john", home_city = "AnyTown", country = "US", first_name = "John", gender = "M", language = "en",
                last_name = "Smith", dob = "1982-01-01", phone = "5551231234", time_zone = "GMT+7", twitter_handle = "johnsmith",
                email = "john.smith@email.com",
            },
        },
    };

    private static async Task<string> StartCampaignAsync(SimFixture sim, Uri url, string? body = null, JsonObject? headers = null, string segment = "all")
    {
        var request = new JsonObject
        {
            ["name"] = "lytics",
            ["url"] = url.ToString(),
            ["method"] = "POST",
            ["body"] = body ?? "{\"id\":\"{{${user_id}}}\"}",
            ["segment"] = segment,
        };
        if (headers is not null)
        {
            request["headers"] = headers;
        }

        using var response = await sim.Client.PostAsJsonAsync("sim/campaigns", request, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await SimFixture.ReadObjectAsync(response))["id"]!;
    }

    /// <summary>Polls the campaign until the condition holds; the deadline only bounds a broken run.</summary>
    private static async Task<JsonObject> WaitForAsync(SimFixture sim, string id, Func<JsonObject, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var status = (await sim.Client.GetFromJsonAsync<JsonObject>($"sim/campaigns/{id}", SimFixture.Ct))!;
            if (condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; last status {status.ToJsonString()}");
            await Task.Delay(5, SimFixture.Ct);
        }
    }

    private static Task<JsonObject> WaitForBackoffsAsync(SimFixture sim, string id, int n) =>
        WaitForAsync(sim, id, s => (int)s["backoffs_scheduled"]! >= n, $"{n} backoff(s)");

    private static Task<JsonObject> WaitForDoneAsync(SimFixture sim, string id) =>
        WaitForAsync(sim, id, s => (string?)s["status"] == "completed", "completion");

    private static async Task AssertNoNewRequestAsync(WebhookReceiver receiver, int expected)
    {
        // Gives a wrongly early retry the chance to show up; a correct sender is idle on the fake clock here.
        await Task.Delay(150, SimFixture.Ct);
        Assert.Equal(expected, receiver.Count);
    }

    [Fact]
    public async Task The_seed_body_renders_to_the_documented_json_for_a_simulator_user()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(200));
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(John);
        var brazeId = (string)(await sim.UserAsync("john"))!["braze_id"]!;

        var id = await StartCampaignAsync(sim, new Uri(receiver.BaseAddress, "c/acct1/braze_users?key=lytics-token"), SeedBodyTemplate);
        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(1, (int)done["delivered"]!);

        var received = Assert.Single(receiver.Received);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/c/acct1/braze_users?key=lytics-token", received.PathAndQuery);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        var expected = JsonNode.Parse($$"""
            {
              "city": "AnyTown",
              "country": "United States",
              "first_name": "John",
              "gender": "male",
              "language": "English",
              "last_name": "Smith",
              "date_of_birth": "19820101",
              "phone_number": "5551231234",
              "time_zone": "GMT+7",
              "twitter_handle": "johnsmith",
              "email": "john.smith@email.com",
              "braze_id": "{{brazeId}}"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(received.Body)), received.Body);
    }

    [Fact]
    public async Task A_campaign_sends_one_templated_request_per_segment_user_with_templated_url_and_headers()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(204));
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "a", first_name = "Ann", lytics_segments = new[] { "vip" } },
                new { external_id = "b", lytics_segments = new[] { "vip" } },
                new { external_id = "c", first_name = "Cy" },
            },
        });
        using (var define = await sim.Client.PostAsJsonAsync("sim/segments", new JsonObject { ["name"] = "vip", ["attribute"] = "lytics_segments", ["contains"] = "vip" }, SimFixture.Ct))
        {
            define.EnsureSuccessStatusCode();
        }

        var id = await StartCampaignAsync(
            sim,
            new Uri(receiver.BaseAddress, "hook/{{${user_id}}}"),
            "{\"name\":\"{{${first_name} | default: 'friend'}}\",\"dispatch\":\"{{campaign.${dispatch_id}}}\"}",
            new JsonObject { ["Authorization"] = "Bearer secret", ["X-Braze-Id"] = "{{${braze_id}}}" },
            "vip");
        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(2, (int)done["total"]!);
        Assert.Equal(2, (int)done["delivered"]!);
        Assert.Equal(0, (int)done["failed"]!);

        var byPath = receiver.Received.ToDictionary(r => r.PathAndQuery);
        Assert.Equal("Ann", (string?)JsonNode.Parse(byPath["/hook/a"].Body)!["name"]);
        Assert.Equal("friend", (string?)JsonNode.Parse(byPath["/hook/b"].Body)!["name"]);
        Assert.Equal((string?)done["dispatch_id"], (string?)JsonNode.Parse(byPath["/hook/a"].Body)!["dispatch"]);
        Assert.Equal("Bearer secret", byPath["/hook/a"].Headers["Authorization"]);
        Assert.Equal((string?)(await sim.UserAsync("a"))!["braze_id"], byPath["/hook/a"].Headers["X-Braze-Id"]);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_exponential_backoff_on_the_simulator_clock()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var receiver = await WebhookReceiver.StartAsync(n => new Reply(n <= 2 ? 503 : 200));
        await using var sim = await SimFixture.StartAsync(time: clock);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "r" } } });
        var id = await StartCampaignAsync(sim, receiver.BaseAddress);

        await WaitForBackoffsAsync(sim, id, 1);
        Assert.Equal(1, receiver.Count);
        clock.Advance(TimeSpan.FromSeconds(29));
        await AssertNoNewRequestAsync(receiver, 1);
        clock.Advance(TimeSpan.FromSeconds(1));

        await WaitForBackoffsAsync(sim, id, 2);
        Assert.Equal(2, receiver.Count);
        clock.Advance(TimeSpan.FromSeconds(59));
        await AssertNoNewRequestAsync(receiver, 2);
        clock.Advance(TimeSpan.FromSeconds(1));

        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(3, receiver.Count);
        Assert.Equal(1, (int)done["delivered"]!);
        Assert.Equal(3, (int)done["attempts"]!);
        Assert.Equal(2, (int)done["retries"]!);
    }

    [Fact]
    public async Task Timeouts_408_and_429_are_retried_and_retry_after_lengthens_the_wait()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var receiver = await WebhookReceiver.StartAsync(n => n switch
        {
            1 => new Reply(200, Hang: true),
            2 => new Reply(408),
            3 => new Reply(429, RetryAfterSeconds: 300),
            _ => new Reply(200),
        });
        await using var sim = await SimFixture.StartAsync(time: clock);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "t" } } });
        var id = await StartCampaignAsync(sim, receiver.BaseAddress);

        // No answer within 90 s counts as a failed attempt.
        await WaitForAsync(sim, id, _ => receiver.Count == 1, "the first request");
        clock.Advance(TimeSpan.FromSeconds(89));
        await AssertNoNewRequestAsync(receiver, 1);
        Assert.Equal(0, (int)(await WaitForAsync(sim, id, _ => true, "status"))["backoffs_scheduled"]!);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForBackoffsAsync(sim, id, 1);
        clock.Advance(TimeSpan.FromSeconds(30));

        await WaitForBackoffsAsync(sim, id, 2);
        Assert.Equal(2, receiver.Count);
        clock.Advance(TimeSpan.FromSeconds(60));

        // The 429 asked for 300 s, longer than the 120 s backoff.
        await WaitForBackoffsAsync(sim, id, 3);
        Assert.Equal(3, receiver.Count);
        clock.Advance(TimeSpan.FromSeconds(299));
        await AssertNoNewRequestAsync(receiver, 3);
        clock.Advance(TimeSpan.FromSeconds(1));

        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(1, (int)done["delivered"]!);
        Assert.Equal(4, (int)done["attempts"]!);
    }

    [Fact]
    public async Task A_rate_per_minute_spaces_the_sends_on_the_simulator_clock()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(200));
        await using var sim = await SimFixture.StartAsync(time: clock);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "p1" }, new { external_id = "p2" }, new { external_id = "p3" } } });
        using var response = await sim.Client.PostAsJsonAsync(
            "sim/campaigns", new JsonObject { ["url"] = receiver.BaseAddress.ToString(), ["rate_per_minute"] = 60 }, SimFixture.Ct);
        var id = (string)(await SimFixture.ReadObjectAsync(response))["id"]!;

        await WaitForAsync(sim, id, s => (int)s["delivered"]! == 1, "the first send");
        await AssertNoNewRequestAsync(receiver, 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(sim, id, s => (int)s["delivered"]! == 2, "the second send");
        await AssertNoNewRequestAsync(receiver, 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (int)(await WaitForDoneAsync(sim, id))["delivered"]!);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Redirects_and_other_4xx_are_not_retried(int status)
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(status));
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "x" }, new { external_id = "y" } } });
        var id = await StartCampaignAsync(sim, receiver.BaseAddress);
        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(2, (int)done["failed"]!);
        Assert.Equal(0, (int)done["delivered"]!);
        Assert.Equal(2, (int)done["attempts"]!);
        Assert.Equal(0, (int)done["retries"]!);
        Assert.Equal(status, (int)done["failures"]![0]!["status"]!);
        Assert.Equal(2, receiver.Count);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_five_retries_then_the_send_fails()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(500));
        await using var sim = await SimFixture.StartAsync(time: clock);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "z" } } });
        var id = await StartCampaignAsync(sim, receiver.BaseAddress);
        for (var backoff = 1; backoff <= 5; backoff++)
        {
            await WaitForBackoffsAsync(sim, id, backoff);
            clock.Advance(TimeSpan.FromHours(1));
        }

        var done = await WaitForDoneAsync(sim, id);
        Assert.Equal(6, receiver.Count);
        Assert.Equal(1, (int)done["failed"]!);
        Assert.Equal(6, (int)done["failures"]![0]!["attempts"]!);
    }

    [Fact]
    public async Task Stopping_the_simulator_cancels_a_campaign_waiting_to_retry()
    {
        var clock = new FakeTimeProvider(SimFixture.Start);
        await using var receiver = await WebhookReceiver.StartAsync(_ => new Reply(503));
        var sim = await SimFixture.StartAsync(time: clock);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "w" } } });
        var id = await StartCampaignAsync(sim, receiver.BaseAddress);
        await WaitForBackoffsAsync(sim, id, 1);

        // The backoff waits on a clock nobody advances: only the shutdown can end it.
        var stopping = sim.DisposeAsync().AsTask();
        Assert.Same(stopping, await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20), SimFixture.Ct)));
        await stopping;
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task Bad_templates_unknown_segments_and_methods_are_refused()
    {
        await using var sim = await SimFixture.StartAsync();
        async Task<HttpStatusCode> PostAsync(JsonObject body)
        {
            using var response = await sim.Client.PostAsJsonAsync("sim/campaigns", body, SimFixture.Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(new JsonObject { ["url"] = "http://127.0.0.1:1/", ["body"] = "{% if x %}y{% endif %}" }));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(new JsonObject { ["url"] = "http://127.0.0.1:1/{{ x | explode }}" }));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(new JsonObject { ["url"] = "http://127.0.0.1:1/", ["segment"] = "nope" }));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(new JsonObject { ["url"] = "http://127.0.0.1:1/", ["method"] = "PATCH" }));
        using var missing = await sim.Client.GetAsync("sim/campaigns/none", SimFixture.Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
