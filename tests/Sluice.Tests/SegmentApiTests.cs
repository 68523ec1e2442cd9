using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// <c>/api/segment</c> over real HTTP: Lytics' segment shape, slugs, the checks a definition passes before anything is
/// saved, and the protection of default and included audiences.
/// </summary>
public sealed class SegmentApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<JsonObject> CreateAsync(string token, JsonObject body) =>
        (await (await S.Http.PostJsonAsync($"/api/segment?key={token}", body)).AssertOkAsync())["data"]!.AsObject();

    private async Task<List<string>> SlugsAsync(string token) =>
        [.. (await S.Http.GetFromJsonAsyncNode($"/api/segment?key={token}"))["data"]!.AsArray().Select(s => (string)s!["slug_name"]!)];

    [Fact]
    public async Task A_segment_is_created_read_by_id_and_slug_listed_changed_and_deleted_in_the_shape_of_Lytics()
    {
        var token = await S.TokenAsync("audience_manager");
        var name = Unique("Oslo people");
        var created = await CreateAsync(token, new JsonObject { ["name"] = name, ["description"] = "in Oslo", ["segment_ql"] = "FILTER city = \"Oslo\"" });

        // The field names of Lytics' get_segment.json, plus Sluice's size and is_default.
        foreach (var field in new[] { "id", "aid", "account_id", "name", "slug_name", "table", "segment_ql", "is_public", "created", "updated", "tags", "size", "is_default", "kind" })
        {
            Assert.True(created.ContainsKey(field), $"missing {field}: {created.ToJsonString()}");
        }
        var id = (string)created["id"]!;
        var slug = (string)created["slug_name"]!;
        Assert.Equal(name.ToLowerInvariant().Replace(' ', '_'), slug);
        Assert.Equal("user", (string)created["table"]!);
        Assert.Equal("FILTER city = \"Oslo\"", (string)created["segment_ql"]!);
        Assert.Equal(S.AccountNumber, (long)created["aid"]!);
        Assert.False((bool)created["is_default"]!);
        Assert.Equal(0, (long)created["size"]!);

        var byId = (await S.Http.GetFromJsonAsyncNode($"/api/segment/{id}?key={token}"))["data"]!;
        var bySlug = (await S.Http.GetFromJsonAsyncNode($"/api/segment/{slug}?key={token}"))["data"]!;
        Assert.Equal(id, (string)bySlug["id"]!);
        Assert.Equal(slug, (string)byId["slug_name"]!);
        Assert.NotNull(byId["evaluation"]);

        var list = (await S.Http.GetFromJsonAsyncNode($"/api/segment?key={token}"))["data"]!.AsArray();
        Assert.Contains(list, s => (string)s!["id"]! == id && s["size"] is not null);
        Assert.All(["all", "known", "anonymous", "new"], d => Assert.Contains(list, s => (string)s!["slug_name"]! == d && (bool)s["is_default"]!));

        var changed = (await (await S.Http.PutAsync($"/api/segment/{slug}?key={token}", JsonContent(new JsonObject { ["name"] = "Renamed" }))).AssertOkAsync())["data"]!;
        Assert.Equal("Renamed", (string)changed["name"]!);
        Assert.Equal(slug, (string)changed["slug_name"]!);
        Assert.Equal("in Oslo", (string)changed["description"]!);

        var deleted = (await (await S.Http.DeleteAsync($"/api/segment/{id}?key={token}")).AssertOkAsync())["data"]!;
        Assert.True((bool)deleted["deleted"]!);
        await (await S.Http.GetAsync($"/api/segment/{id}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(slug, await SlugsAsync(token));
    }

    [Fact]
    public async Task The_slug_comes_from_the_statements_alias_and_a_taken_slug_is_a_conflict()
    {
        var token = await S.TokenAsync("audience_manager");
        var slug = Unique("vip");
        var created = await CreateAsync(token, new JsonObject { ["name"] = "VIP", ["segment_ql"] = $"FILTER visitct > 5 ALIAS {slug}" });
        Assert.Equal(slug, (string)created["slug_name"]!);

        var again = await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "VIP 2", ["slug_name"] = slug, ["segment_ql"] = "FILTER *" });
        Assert.Contains(slug, await again.AssertErrorAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        var other = await CreateAsync(token, new JsonObject { ["name"] = Unique("other"), ["segment_ql"] = "FILTER *" });
        var taking = await S.Http.PutAsync($"/api/segment/{other["id"]}?key={token}", JsonContent(new JsonObject { ["slug_name"] = slug }));
        await taking.AssertErrorAsync(HttpStatusCode.Conflict);
        await (await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "Known", ["slug_name"] = "known", ["segment_ql"] = "FILTER *" }))
            .AssertErrorAsync(HttpStatusCode.Conflict);

        var disagree = await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "x", ["slug_name"] = Unique("a"), ["segment_ql"] = $"FILTER * ALIAS {Unique("b")}" });
        Assert.Contains("ALIAS", await disagree.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, int> BadDefinitions() => new()
    {
        { "syntax", "FILTER AND (city = \"Oslo\",\n  visitct >)", 2, 12 },
        { "unknown function", "FILTER nosuch(city) = \"x\"", 1, 8 },
        { "wrong arity", "FILTER tolower(city, country) = \"x\"", 1, 8 },
        { "between with one bound", "FILTER visitct BETWEEN 1", 1, 0 },
        { "unknown include", "FILTER INCLUDE no_such_audience_anywhere", 1, 8 },
        { "another table", "FILTER * FROM content", 1, 15 },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_bad_definition_is_refused_with_its_position_and_nothing_is_saved(string kind, string statement, int line, int column)
    {
        var token = await S.TokenAsync("audience_manager");
        var before = await SlugsAsync(token);
        var slug = Unique("bad");
        var response = await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = kind, ["slug_name"] = slug, ["segment_ql"] = statement });

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line", message, StringComparison.Ordinal);
        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!;
        Assert.Equal(line, (int)data["line"]!);
        if (column > 0) Assert.Equal(column, (int)data["column"]!);
        Assert.Equal(before, await SlugsAsync(token));
    }

    [Fact]
    public async Task A_statement_over_64_KB_is_refused_with_a_position()
    {
        var token = await S.TokenAsync("audience_manager");
        var statement = "FILTER OR (" + string.Join(", ", Enumerable.Range(0, 7000).Select(i => $"city = \"c{i}\"")) + ")";
        Assert.True(statement.Length > 64 * 1024);
        var response = await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "huge", ["segment_ql"] = statement });
        Assert.Contains("65536 bytes", await response.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var validate = await S.Http.PostRawAsync($"/api/segment/validate?key={token}", statement, "text/plain");
        Assert.Contains("line 1, column 1", await validate.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.DoesNotContain("huge", await SlugsAsync(token));
    }

    [Fact]
    public async Task A_cycle_of_includes_is_refused_and_the_first_audience_keeps_its_definition()
    {
        var token = await S.TokenAsync("audience_manager");
        var a = Unique("cycle_a");
        var b = Unique("cycle_b");
        await CreateAsync(token, new JsonObject { ["name"] = a, ["slug_name"] = a, ["segment_ql"] = "FILTER city = \"x\"" });
        await CreateAsync(token, new JsonObject { ["name"] = b, ["slug_name"] = b, ["segment_ql"] = $"FILTER INCLUDE {a}" });

        var response = await S.Http.PutAsync($"/api/segment/{a}?key={token}", JsonContent(new JsonObject { ["segment_ql"] = $"FILTER INCLUDE {b}" }));
        await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        var selfSlug = Unique("self");
        var self = await S.Http.PostJsonAsync($"/api/segment?key={token}", new JsonObject { ["name"] = "self", ["segment_ql"] = $"FILTER INCLUDE {selfSlug} ALIAS {selfSlug}" });
        await self.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain(selfSlug, await SlugsAsync(token));
        Assert.Equal("FILTER city = \"x\"", (string)(await S.Http.GetFromJsonAsyncNode($"/api/segment/{a}?key={token}"))["data"]!["segment_ql"]!);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"segment_ql\": ", "malformed JSON")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"name\": \"\\uD800\", \"segment_ql\": \"FILTER *\"}", "lone surrogate")]
    [InlineData("{\"name\": 5, \"segment_ql\": \"FILTER *\"}", "name must be a string")]
    [InlineData("{\"name\": \"x\"}", "segment_ql is required")]
    [InlineData("{\"segment_ql\": \"FILTER *\"}", "name is required")]
    [InlineData("{\"name\": \"x\", \"slug_name\": \"Has Spaces\", \"segment_ql\": \"FILTER *\"}", "lower-case")]
    public async Task A_malformed_body_is_refused_with_a_message(string body, string message)
    {
        var token = await S.TokenAsync("audience_manager");
        var response = await S.Http.PostRawAsync($"/api/segment?key={token}", body);
        Assert.Contains(message, await response.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_audiences_cannot_be_deleted_or_renamed()
    {
        var token = await S.TokenAsync("audience_manager");
        Assert.Contains("default", await (await S.Http.DeleteAsync($"/api/segment/all?key={token}")).AssertErrorAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        await (await S.Http.PutAsync($"/api/segment/new?key={token}", JsonContent(new JsonObject { ["slug_name"] = "fresh" }))).AssertErrorAsync(HttpStatusCode.Conflict);
        Assert.Contains("new", await SlugsAsync(token));
    }

    [Fact]
    public async Task An_included_audience_cannot_be_deleted_or_renamed_while_another_includes_it()
    {
        var token = await S.TokenAsync("audience_manager");
        var base_ = Unique("base");
        var includer = Unique("includer");
        await CreateAsync(token, new JsonObject { ["name"] = base_, ["slug_name"] = base_, ["segment_ql"] = "FILTER country = \"NO\"" });
        await CreateAsync(token, new JsonObject { ["name"] = includer, ["slug_name"] = includer, ["segment_ql"] = $"FILTER AND (INCLUDE {base_}, EXISTS email)" });

        Assert.Contains(includer, await (await S.Http.DeleteAsync($"/api/segment/{base_}?key={token}")).AssertErrorAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        var rename = await S.Http.PutAsync($"/api/segment/{base_}?key={token}", JsonContent(new JsonObject { ["slug_name"] = Unique("moved") }));
        Assert.Contains(includer, await rename.AssertErrorAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        // "anonymous" includes "known".
        await (await S.Http.PutAsync($"/api/segment/known?key={token}", JsonContent(new JsonObject { ["slug_name"] = "identified" }))).AssertErrorAsync(HttpStatusCode.Conflict);

        await (await S.Http.DeleteAsync($"/api/segment/{includer}?key={token}")).AssertOkAsync();
        await (await S.Http.DeleteAsync($"/api/segment/{base_}?key={token}")).AssertOkAsync();
    }

    [Fact]
    public async Task Unknown_segments_get_a_json_404_on_every_route()
    {
        var token = await S.TokenAsync("audience_manager");
        await (await S.Http.GetAsync($"/api/segment/nope?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.PutAsync($"/api/segment/nope?key={token}", JsonContent(new JsonObject { ["name"] = "x" }))).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.DeleteAsync($"/api/segment/0123456789abcdef0123456789abcdef?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/segment/nope/scan?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await S.Http.GetAsync($"/api/segment/nope/history?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Observers_read_validate_and_test_but_cannot_change_segments()
    {
        var observer = await S.TokenAsync("observer");
        await (await S.Http.PostJsonAsync($"/api/segment?key={observer}", new JsonObject { ["name"] = "x", ["segment_ql"] = "FILTER *" })).AssertErrorAsync(HttpStatusCode.Forbidden);
        await (await S.Http.DeleteAsync($"/api/segment/all?key={observer}")).AssertErrorAsync(HttpStatusCode.Forbidden);
        await (await S.Http.GetAsync($"/api/segment?key={observer}")).AssertOkAsync();
        await (await S.Http.PostRawAsync($"/api/segment/validate?key={observer}", "FILTER *", "text/plain")).AssertOkAsync();
    }

    [Fact]
    public async Task Validate_gives_the_canonical_statement_and_the_fields_it_reads_or_the_errors_position()
    {
        var token = await S.TokenAsync("observer");
        var ok = (await (await S.Http.PostRawAsync($"/api/segment/validate?key={token}", "SELECT * FROM user WHERE AND(city = \"Oslo\", INCLUDE known)", "text/plain")).AssertOkAsync())["data"]!;
        Assert.StartsWith("FILTER", (string)ok["segment_ql"]!, StringComparison.Ordinal);
        var fields = ok["fields"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Contains("city", fields);
        Assert.Contains("email", fields);
        Assert.Equal(["known"], ok["includes"]!.AsArray().Select(f => (string)f!));

        var json = (await (await S.Http.PostJsonAsync($"/api/segment/validate?key={token}", new JsonObject { ["segment_ql"] = "FILTER EXISTS email" })).AssertOkAsync())["data"]!;
        Assert.Equal(["email"], json["fields"]!.AsArray().Select(f => (string)f!));

        var bad = await S.Http.PostRawAsync($"/api/segment/validate?key={token}", "FILTER\n  city ==", "text/plain");
        Assert.Contains("line 2", await bad.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(2, (int)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["data"]!["line"]!);
        await (await S.Http.PostRawAsync($"/api/segment/validate?key={token}", "", "text/plain")).AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Test_with_now_makes_date_math_reproducible()
    {
        var token = await S.TokenAsync("observer");
        var entity = new JsonObject { ["_created"] = "2026-01-01T00:00:00Z" };
        async Task<bool> MatchesAsync(string now) => (bool)(await (await S.Http.PostJsonAsync($"/api/segment/_test?key={token}",
            new JsonObject { ["segment_ql"] = "FILTER _created > \"now-7d\"", ["entity"] = entity.DeepClone(), ["now"] = now })).AssertOkAsync())["data"]!["matches"]!;

        Assert.True(await MatchesAsync("2026-01-07T23:59:59Z"));
        Assert.False(await MatchesAsync("2026-01-08T00:00:01Z"));
        Assert.True(await MatchesAsync("2026-01-07T23:59:59Z"));
    }

    [Fact]
    public async Task Test_evaluates_an_entity_with_includes_of_the_accounts_audiences()
    {
        var token = await S.TokenAsync("observer");
        async Task<bool> MatchesAsync(string ql, JsonObject entity) => (bool)(await (await S.Http.PostJsonAsync($"/api/segment/_test?key={token}",
            new JsonObject { ["segment_ql"] = ql, ["entity"] = entity })).AssertOkAsync())["data"]!["matches"]!;

        Assert.True(await MatchesAsync("FILTER AND (INCLUDE known, city = \"Oslo\")", new JsonObject { ["email"] = "a@b.no", ["city"] = "Oslo" }));
        Assert.False(await MatchesAsync("FILTER INCLUDE known", new JsonObject { ["city"] = "Oslo" }));
        Assert.True(await MatchesAsync("FILTER first_name != \"Anakin\"", new JsonObject()));
    }

    [Theory]
    [InlineData("{\"segment_ql\": \"FILTER city ==\", \"entity\": {}}", "line 1")]
    [InlineData("{\"segment_ql\": \"FILTER *\", \"entity\": {\"city\": \"\\uDC00\"}}", "lone surrogate")]
    [InlineData("{\"segment_ql\": \"FILTER *\", \"entity\": {}", "malformed JSON")]
    [InlineData("{\"segment_ql\": \"FILTER *\", \"entity\": [1]}", "entity")]
    [InlineData("{\"segment_ql\": \"FILTER *\", \"entity\": {}, \"now\": \"yesterday\"}", "ISO-8601")]
    [InlineData("{\"segment_ql\": \"FILTER *\", \"entity\": {}, \"now\": 5}", "ISO-8601")]
    [InlineData("{\"entity\": {}}", "segment_ql")]
    public async Task Test_refuses_bad_input_with_a_message(string body, string message)
    {
        var token = await S.TokenAsync("observer");
        var response = await S.Http.PostRawAsync($"/api/segment/_test?key={token}", body);
        Assert.Contains(message, await response.AssertErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FILTER _created > \"now+1y\"", "9999-12-31T23:59:59Z")]
    [InlineData("FILTER _created < \"now-1y\"", "0001-01-01T00:00:00Z")]
    [InlineData("FILTER _created BETWEEN \"now-10000y\" AND \"now+10000y\"", "2026-01-01T00:00:00Z")]
    [InlineData("FILTER timewindow(_created, 99999999, 99999999)", "9999-12-31T00:00:00Z")]
    [InlineData("FILTER _created > \"now/y\"", "0001-01-01T00:00:00Z")]
    public async Task Test_at_the_edges_of_time_answers_without_a_server_error(string statement, string now)
    {
        var token = await S.TokenAsync("observer");
        var response = await S.Http.PostJsonAsync($"/api/segment/_test?key={token}",
            new JsonObject { ["segment_ql"] = statement, ["entity"] = new JsonObject { ["_created"] = "2026-01-01T00:00:00Z" }, ["now"] = now });
        Assert.True((int)response.StatusCode is 200 or 400, await response.Content.ReadAsStringAsync());
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
