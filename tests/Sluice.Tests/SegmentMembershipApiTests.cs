using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// Audiences at work over HTTP, each test on its own server so that sizes are exact: webhooks move profiles in and
/// out, and scan, size, history and the profile's <c>segments</c> agree; include chains are capped in depth.
/// </summary>
public sealed class SegmentMembershipApiTests
{
    private static async Task PostUserAsync(TestServer s, string token, string brazeId, string city)
    {
        var user = Seed.BrazeUser(Seed.UniqueEmail(brazeId), brazeId);
        user["city"] = city;
        await (await s.Http.PostJsonAsync($"/c/{s.AccountNumber}/braze_users?key={token}", user)).AssertOkAsync();
    }

    private static async Task<JsonObject> SaveAsync(TestServer s, string token, HttpMethod method, string url, JsonObject body)
    {
        var since = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(method, $"{url}?key={token}") { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        var saved = (await (await s.Http.SendAsync(request)).AssertOkAsync())["data"]!.AsObject();
        await s.WaitForAudienceEvaluationAsync(since);
        return saved;
    }

    private static async Task<List<string>> SegmentsOfAsync(TestServer s, string token, string brazeId) =>
        [.. (await s.Http.GetFromJsonAsyncNode($"/api/entity/user/braze_id/{brazeId}?segments=true&key={token}"))["data"]!["segments"]!.AsArray().Select(x => (string)x!)];

    private static async Task<long> SizeAsync(TestServer s, string token, string slug) =>
        (long)(await s.Http.GetFromJsonAsyncNode($"/api/segment/{slug}?key={token}"))["data"]!["size"]!;

    [Fact]
    public async Task A_webhook_moves_a_profile_into_a_created_audience_and_a_changed_definition_moves_it_out()
    {
        await using var s = await TestServer.StartAsync();
        var token = await s.TokenAsync("admin");
        var created = await SaveAsync(s, token, HttpMethod.Post, "/api/segment", new JsonObject { ["name"] = "Oslo", ["segment_ql"] = "FILTER city = \"Oslo\"" });
        Assert.Equal("oslo", (string)created["slug_name"]!);

        await PostUserAsync(s, token, "b-oslo", "Oslo");
        await PostUserAsync(s, token, "b-rome", "Rome");
        await s.WaitForProcessingAsync();

        Assert.Equal(1, await SizeAsync(s, token, "oslo"));
        var scan = await s.Http.GetFromJsonAsyncNode($"/api/segment/oslo/scan?key={token}");
        Assert.Equal(1, (long)scan["total"]!);
        Assert.Null(scan["_next"]);
        var member = scan["data"]!.AsArray().Single()!;
        Assert.Equal("b-oslo", (string)member["braze_id"]!);
        Assert.Contains("oslo", member["segments"]!.AsArray().Select(x => (string)x!));
        Assert.Contains("oslo", await SegmentsOfAsync(s, token, "b-oslo"));
        Assert.DoesNotContain("oslo", await SegmentsOfAsync(s, token, "b-rome"));
        Assert.Contains("all", await SegmentsOfAsync(s, token, "b-rome"));
        var adHoc = (await (await s.Http.PostRawAsync($"/api/segment/size?key={token}", "FILTER city = \"Oslo\"", "text/plain")).AssertOkAsync())["data"]!;
        Assert.Equal(1, (long)adHoc["size"]!);
        Assert.Equal(2, (long)adHoc["profiles_scanned"]!);

        await SaveAsync(s, token, HttpMethod.Put, "/api/segment/oslo", new JsonObject { ["segment_ql"] = "FILTER city = \"Rome\"" });

        Assert.Equal(1, await SizeAsync(s, token, "oslo"));
        Assert.DoesNotContain("oslo", await SegmentsOfAsync(s, token, "b-oslo"));
        Assert.Contains("oslo", await SegmentsOfAsync(s, token, "b-rome"));
        var history = (await s.Http.GetFromJsonAsyncNode($"/api/segment/oslo/history?key={token}"))["data"]!.AsArray();
        Assert.Equal(["entered", "exited", "entered"], history.Reverse().Select(h => (string)h!["change"]!));
        Assert.All(history, h => Assert.NotNull(h!["time"]));
        var evaluation = (await s.Http.GetFromJsonAsyncNode($"/api/segment/oslo?key={token}"))["data"]!["evaluation"]!;
        Assert.Equal("completed", (string)evaluation["state"]!);

        await SaveAsync(s, token, HttpMethod.Delete, "/api/segment/oslo", new JsonObject());
        Assert.DoesNotContain("oslo", await SegmentsOfAsync(s, token, "b-rome"));
    }

    [Fact]
    public async Task Scan_pages_members_with_next_and_total_and_no_duplicates()
    {
        await using var s = await TestServer.StartAsync();
        var token = await s.TokenAsync("admin");
        for (var i = 0; i < 7; i++) await PostUserAsync(s, token, $"b{i}", i % 7 == 6 ? "Rome" : "Oslo");
        await s.WaitForProcessingAsync();
        // Created over existing profiles: the background evaluation brings them in.
        await SaveAsync(s, token, HttpMethod.Post, "/api/segment", new JsonObject { ["name"] = "Oslo", ["segment_ql"] = "FILTER city = \"Oslo\"" });

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await s.Http.GetFromJsonAsyncNode($"/api/segment/oslo/scan?limit=4&key={token}{(next is null ? "" : $"&start={next}")}");
            Assert.Equal(6, (long)page["total"]!);
            seen.AddRange(page["data"]!.AsArray().Select(p => (string)p!["braze_id"]!));
            next = (string?)page["_next"];
            pages++;
        }
        while (next is not null && pages < 10);

        Assert.Equal(2, pages);
        Assert.Equal(["b0", "b1", "b2", "b3", "b4", "b5"], seen.Order());
        await (await s.Http.GetAsync($"/api/segment/oslo/scan?start=abc&key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);
        await (await s.Http.GetAsync($"/api/segment/oslo/scan?limit=0&key={token}")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Includes_deeper_than_100_are_refused_when_saving()
    {
        await using var s = await TestServer.StartAsync();
        var token = await s.TokenAsync("audience_manager");
        await (await s.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "d0", ["segment_ql"] = "FILTER city = \"x\"" })).AssertOkAsync();
        for (var i = 1; i <= 100; i++)
        {
            await (await s.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = $"d{i}", ["segment_ql"] = $"FILTER INCLUDE d{i - 1}" })).AssertOkAsync();
        }

        var tooDeep = await s.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "d101", ["segment_ql"] = "FILTER INCLUDE d100" });
        await tooDeep.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(JsonNode.Parse(await tooDeep.Content.ReadAsStringAsync())!["data"]!["line"]);
        await (await s.Http.GetAsync($"/api/segment/d101?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }
}
