using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

/// <summary>The request and response examples of the Braze facts reference (§1, §2 and the Lytics audience body),
/// replayed against the simulator.</summary>
public sealed class FactsExamplesTests
{
    private static string[] Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task The_simulator_answers_the_documented_examples_in_the_documented_shapes()
    {
        await using var sim = await SimFixture.StartAsync();

        // Success: {"message":"success","attributes_processed":n,"events_processed":n,"purchases_processed":n}, HTTP 201.
        using (var success = await sim.TrackAsync(AuthAndLimitsTests.Objects(1, 1, 1)))
        {
            Assert.Equal(HttpStatusCode.Created, success.StatusCode);
            var body = await SimFixture.ReadObjectAsync(success);
            Assert.Equal(["attributes_processed", "events_processed", "message", "purchases_processed"], Keys(body));
            Assert.Equal("success", (string?)body["message"]);
        }

        // Partial: {"message":"success","errors":[{"type","input_array","index"}]}; objects without errors still processed.
        using (var partial = await sim.TrackAsync(new { attributes = new object[] { new { external_id = "fine" }, new { external_id = "dummy" } } }))
        {
            Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
            var body = await SimFixture.ReadObjectAsync(partial);
            Assert.Equal(["errors", "message"], Keys(body));
            Assert.Equal(["index", "input_array", "type"], Keys(body["errors"]![0]!));
            Assert.NotNull(await sim.UserAsync("fine"));
        }

        // Fatal: {"message":"<fatal>","errors":[...]} with 400 ("Max Input Length Exceeded" for > 75 objects).
        using (var fatal = await sim.TrackAsync(AuthAndLimitsTests.Objects(76, 0, 0)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fatal.StatusCode);
            var body = await SimFixture.ReadObjectAsync(fatal);
            Assert.Equal(["errors", "message"], Keys(body));
            Assert.Equal("Max Input Length Exceeded", (string?)body["message"]);
        }

        // 401 bad key, 403 Access Denied, 429 rate limited: each a JSON message.
        using var badKey = sim.NewClient("nope");
        using (var unauthorized = await sim.TrackAsync(AuthAndLimitsTests.Objects(1, 0, 0), badKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            Assert.Equal(["message"], Keys(await SimFixture.ReadObjectAsync(unauthorized)));
        }
    }

    [Fact]
    public async Task The_lytics_audience_example_adds_and_removes_segment_memberships()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "XYZ234ID", lytics_segments = new[] { "lytics_new" } } } });

        // The body from the Lytics integration page, with its array renamed to Braze's "attributes".
        const string body = """
            {"attributes": [{
                    "external_id": "ABC124ID",
                    "lytics_segments": {"add": ["lytics_all", "lytics_new"]}
                },
                {
                    "external_id": "XYZ234ID",
                    "lytics_segments": {"add": ["lytics_known"], "remove": ["lytics_new"]}
                }]}
            """;
        using var response = await sim.TrackAsync(body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"message":"success","attributes_processed":2}""", (await SimFixture.ReadObjectAsync(response)).ToJsonString());

        // "A new user will be created in Braze for any external_id ... that does not yet exist."
        Assert.Equal("""["lytics_all","lytics_new"]""", (await sim.AttributeAsync("ABC124ID", "lytics_segments"))!.ToJsonString());
        Assert.Equal("""["lytics_known"]""", (await sim.AttributeAsync("XYZ234ID", "lytics_segments"))!.ToJsonString());
        // Data points: 2 + 1 adds, 1 remove call, plus the first setup request's whole-array set.
        Assert.Equal(1 + 2 + 1 + 1, (int)(await sim.StatsAsync())["data_points"]!);
    }
}
