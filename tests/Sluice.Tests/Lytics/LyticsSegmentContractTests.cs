using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary>
/// <c>/api/segment</c> as go-lytics (<c>Segment</c>, <c>SegmentSize</c>, the scanner behind the CLI's <c>segment
/// scan</c>, <c>ValidateSegment</c>) and lytics-js (<c>getSegments</c>, <c>getSegment</c>) use it.
/// </summary>
public sealed class LyticsSegmentContractTests : IAsyncLifetime
{
    private TestServer _s = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _s = await TestServer.StartAsync();
        _token = await _s.TokenAsync("admin");
        var since = DateTimeOffset.UtcNow;
        await LyticsContract.OkAsync(await _s.Http.PostJsonAsync($"/api/segment?key={_token}",
            new JsonObject { ["name"] = "Oslo", ["slug_name"] = "oslo_people", ["segment_ql"] = "FILTER city = \"Oslo\"" }));
        await _s.WaitForAudienceEvaluationAsync(since);
        for (var i = 0; i < 5; i++)
        {
            var user = Seed.BrazeUser(Seed.UniqueEmail("seg"), $"seg-{i}");
            user["city"] = i < 3 ? "Oslo" : "Rome";
            await LyticsContract.OkAsync(await _s.Http.PostJsonAsync($"/c/{_s.AccountNumber}/braze_users?key={_token}", user));
        }
        await _s.WaitForProcessingAsync();
    }

    public ValueTask DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task Segments_are_listed_with_lytics_fields_and_filtered_by_table_kind_and_validity()
    {
        var all = (await _s.Http.GetOkAsync($"/api/segment?table=user&key={_token}"))["data"]!.AsArray();
        var oslo = all.Single(a => (string)a!["slug_name"]! == "oslo_people")!;
        foreach (var name in new[] { "id", "account_id", "name", "slug_name", "kind", "table", "segment_ql", "invalid_reason" }) LyticsContract.IsString(oslo[name]);
        LyticsContract.IsBool(oslo["is_public"]);
        LyticsContract.IsBool(oslo["invalid"]);
        LyticsContract.IsTime(oslo["created"]);
        LyticsContract.IsTime(oslo["updated"]);
        Assert.Equal("segment", (string)oslo["kind"]!);
        Assert.Contains(all, a => (string)a!["slug_name"]! == "all");

        Assert.Empty((await _s.Http.GetOkAsync($"/api/segment?kind=aspect&key={_token}"))["data"]!.AsArray());
        Assert.Empty((await _s.Http.GetOkAsync($"/api/segment?table=content&key={_token}"))["data"]!.AsArray());
        Assert.Empty((await _s.Http.GetOkAsync($"/api/segment?valid=false&key={_token}"))["data"]!.AsArray());
        Assert.All((await _s.Http.GetOkAsync($"/api/segment?sizes=false&key={_token}"))["data"]!.AsArray(), a => Assert.Null(a!["size"]));
    }

    [Fact]
    public async Task A_segment_is_found_by_id_and_by_slug_and_sized()
    {
        var bySlug = (await _s.Http.GetOkAsync($"/api/segment/oslo_people?key={_token}"))["data"]!;
        var id = (string)bySlug["id"]!;
        Assert.Equal("oslo_people", (string)(await _s.Http.GetOkAsync($"/api/segment/{id}?key={_token}"))["data"]!["slug_name"]!);

        var size = (await _s.Http.GetOkAsync($"/api/segment/{id}/sizes?key={_token}"))["data"]!;
        Assert.Equal(3, (double)size["size"]!);
        Assert.Equal("oslo_people", (string)size["slug_name"]!);
        var sizes = (await _s.Http.GetOkAsync($"/api/segment/sizes?ids={id},all&key={_token}"))["data"]!.AsArray();
        Assert.Equal(["all", "oslo_people"], sizes.Select(s => (string)s!["slug_name"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Validate_takes_the_statement_as_go_lytics_posts_it()
    {
        // go-lytics posts the bare statement with Content-Type: application/json.
        await LyticsContract.OkAsync(await _s.Http.PostRawAsync($"/api/segment/validate?key={_token}", "FILTER AND (visitct > 5, EXISTS email)"));
        await (await _s.Http.PostRawAsync($"/api/segment/validate?key={_token}", "FILTER AND (visitct > ")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_saved_segment_is_scanned_page_by_page_to_the_end()
    {
        var seen = new List<string>();
        var start = "";
        for (var page = 0; page < 10; page++)
        {
            var body = await _s.Http.GetOkAsync($"/api/segment/oslo_people/scan?start={start}&limit=2&key={_token}");
            Assert.Equal(3, (int)body["total"]!);
            seen.AddRange(body["data"]!.AsArray().Select(p => (string)p!["braze_id"]!));
            start = (string?)body["_next"] ?? "";
            if (start.Length == 0) break;
        }
        Assert.Equal(["seg-0", "seg-1", "seg-2"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_ad_hoc_statement_is_scanned_page_by_page_with_its_total()
    {
        const string ql = """
            FILTER AND (
                city = "Rome"
                EXISTS email
            )
            FROM user
            """;
        var seen = new List<string>();
        var start = "";
        for (var page = 0; page < 10; page++)
        {
            var body = await LyticsContract.OkAsync(await _s.Http.PostRawAsync($"/api/segment/scan?start={start}&limit=1&key={_token}", ql, "text/plain"));
            Assert.Equal(2, (int)body["total"]!);
            Assert.All(body["data"]!.AsArray(), p => Assert.NotNull(p!["segments"]));
            seen.AddRange(body["data"]!.AsArray().Select(p => (string)p!["braze_id"]!));
            start = (string?)body["_next"] ?? "";
            if (start.Length == 0) break;
        }
        Assert.Equal(["seg-3", "seg-4"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_ad_hoc_statement_or_cursor_is_a_400()
    {
        await (await _s.Http.PostRawAsync($"/api/segment/scan?key={_token}", "FILTER AND (", "text/plain")).AssertErrorAsync(HttpStatusCode.BadRequest);
        await (await _s.Http.PostRawAsync($"/api/segment/scan?start=zz&key={_token}", "FILTER *", "text/plain")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }
}
