using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// Hostile input across every route that takes it (collect, pixel, bulk, mappings, entity lookups and deletes), in
/// the classes that broke Sluice before: lone surrogates anywhere, depth, width, huge numbers, compression bombs
/// and NUL. Nothing answers 5xx or without the JSON envelope, and events sent before and after all become profiles.
/// </summary>
public sealed class HostileInputFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private static readonly string[] Surrogates = ["\\uD800", "\\uDBFF", "\\uDC00", "\\uDFFF", "\\uD83D", "\\uDE00\\uD83D", "\\uD800\\u0041"];

    private static readonly string[] Numbers =
        ["1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0", "9223372036854775808", "0.0000000000000000000001", "1E+308"];

    private static readonly string[] Nul = ["\\u0000", "a\\u0000b", "\\u0000\\u0000"];

    /// <summary>Event bodies of each class, on a mapped stream so that processing meets them too.</summary>
    private static IEnumerable<string> Events(Random random)
    {
        foreach (var s in Surrogates)
        {
            yield return $$"""{"braze_id":"{{s}}"}""";
            yield return $$"""{"braze_id":"f1","first_name":"x{{s}}y"}""";
            yield return $$"""{"braze_id":"f1","{{s}}":"k"}""";
            yield return $$$"""{"braze_id":"f1","n":{"m":[1,{"o":"{{{s}}}"}]}}""";
            yield return $$"""{"braze_id":"f1","_ts":"{{s}}"}""";
        }
        foreach (var n in Numbers)
        {
            yield return $$"""{"braze_id":"f2","first_name":{{n}},"date_of_birth":{{n}},"_ts":{{n}}}""";
            yield return $$"""{"braze_id":{{n}},"email":{{n}}}""";
        }
        foreach (var z in Nul)
        {
            yield return $$"""{"braze_id":"f3{{z}}","email":"a{{z}}@b.co","first_name":"{{z}}"}""";
            yield return $$"""{"{{z}}":"{{z}}","braze_id":"f3"}""";
        }
        foreach (var depth in new[] { 63, 65, 1_000, 100_000 })
        {
            yield return "{\"braze_id\":\"f4\",\"d\":" + new string('[', depth) + new string(']', depth) + "}";
            yield return "{\"braze_id\":\"f4\",\"d\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}";
        }
        var wide = new StringBuilder("{\"braze_id\":\"f5\"");
        for (var i = 0; i < 50_000; i++) wide.Append(",\"k").Append(i).Append("\":").Append(random.Next());
        yield return wide.Append('}').ToString();
        yield return "{\"braze_id\":\"f5\",\"first_name\":\"" + new string('x', 2_000_000) + "\"}";
        yield return "{\"braze_id\":\"" + new string('y', 5_000) + "\"}";
        yield return "[" + string.Join(',', Enumerable.Repeat("{\"braze_id\":\"f6\"}", 20_000)) + "]";
    }

    private static IEnumerable<string> Lql()
    {
        yield return "SELECT " + new string('(', 10_000) + "a" + new string(')', 10_000) + " AS x FROM s INTO user BY x";
        yield return "SELECT a AS x FROM s INTO user BY x WHERE " + string.Join(" AND ", Enumerable.Repeat("a", 20_000));
        yield return "SELECT a AS x FROM s INTO user BY x WHERE " + string.Join(" OR ", Enumerable.Repeat("NOT a", 20_000));
        yield return "SELECT " + string.Concat(Enumerable.Repeat("lower(", 5_000)) + "a" + new string(')', 5_000) + " AS x FROM s INTO user BY x";
        yield return "SELECT a AS x, 1e400 AS y, 99999999999999999999999 AS z FROM s INTO user BY x";
        yield return "SELECT a\0 AS x FROM s\0 INTO user BY x";
        yield return "SELECT \"\\uD800\" AS x FROM s INTO user BY x";
        yield return "SELECT " + string.Join(", ", Enumerable.Range(0, 5_000).Select(i => $"a{i} AS b{i}")) + " FROM s INTO user BY b0";
    }

    private static IEnumerable<string> IdentityValues()
    {
        yield return "%ED%A0%80";
        yield return "%00";
        yield return "a%00b";
        yield return new string('z', 10_000);
        yield return "..";
        yield return "a.b";
        yield return "%25uD800";
        yield return "1e400";
    }

    private static byte[] Gzip(string text, int repeat)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < repeat; i++) gz.Write(bytes);
        }
        return output.ToArray();
    }

    private readonly List<string> _failures = [];

    private async Task CheckAsync(string what, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500 || text.Contains("   at ", StringComparison.Ordinal))
        {
            _failures.Add($"{what}: {status} {text[..Math.Min(200, text.Length)]}");
            return;
        }
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && JsonNode.Parse(text)?["status"] is { } s && (int)s != status)
        {
            _failures.Add($"{what}: envelope status {s} differs from {status}");
        }
    }

    [Fact]
    public async Task Hostile_input_on_every_route_gets_no_5xx_and_events_around_it_still_become_profiles()
    {
        var token = await S.TokenAsync("admin");
        var random = new Random(20261129);
        var before = $"canary-before-{Guid.NewGuid():N}";
        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/braze_users?key={token}", $$"""{"braze_id":"{{before}}"}""")).AssertOkAsync();

        foreach (var body in Events(random))
        {
            var query = random.Next(2) == 0 ? "" : "&droperrors=true";
            await CheckAsync("collect", S.Http.PostRawAsync($"/c/{S.AccountNumber}/braze_users?key={token}{query}", body));
            if (body.Length < 100_000)
            {
                await CheckAsync("bulk ndjson", S.Http.PostAsync($"/collect/bulk/braze_users?key={token}{query}",
                    new StringContent(body + "\n" + body, Encoding.UTF8, "application/x-ndjson")));
                await CheckAsync("mapping test", S.Http.PostRawAsync($"/api/query/_test?alias=braze_users&key={token}", body));
            }
        }
        foreach (var csv in new[] { "braze_id,first_name\nc1,a\0b\n", "braze_id\n" + new string('q', 2_000_000) + "\n", "\0\0\0\n\0", "braze_id,x\n\"c2\",\"" + new string('"', 999) + "\n" })
        {
            await CheckAsync("bulk csv", S.Http.PostAsync($"/collect/bulk/braze_users?key={token}", new StringContent(csv, Encoding.UTF8, "text/csv")));
        }
        foreach (var (line, repeat) in new[] { ("{\"braze_id\":\"bomb\"}\n", 200_000), ("braze_id\nbomb\n", 100_000), ("\0", 5_000_000) })
        {
            var content = new ByteArrayContent(Gzip(line, repeat));
            content.Headers.ContentType = new MediaTypeHeaderValue(line.StartsWith('{') ? "application/x-ndjson" : "text/csv");
            content.Headers.ContentEncoding.Add("gzip");
            await CheckAsync("bulk gzip", S.Http.PostAsync($"/collect/bulk/braze_users?key={token}&droperrors=true", content));
        }
        foreach (var lql in Lql())
        {
            await CheckAsync("mapping test lql", S.Http.PostRawAsync($"/api/query/_test?key={token}", lql, "text/plain"));
            await CheckAsync("mapping upsert", S.Http.PostRawAsync($"/api/query?key={token}", lql.Replace("FROM s ", "FROM fuzzstream ", StringComparison.Ordinal), "text/plain"));
        }
        // Every JSON body the management APIs take, with a lone surrogate in a string value and in a key.
        foreach (var (route, body) in new[]
        {
            ("/api/auth", "{\"provider\":\"braze\",\"label\":\"x\\uD800\",\"config\":{\"api_key\":\"k\\uDC00\",\"instance\":\"US-01\"}}"),
            ("/api/auth", "{\"provider\":\"sftp\",\"label\":\"x\",\"config\":{\"type\":\"client\",\"host\":\"h\\uD800\",\"username\":\"\\uDC00\",\"password\":\"\\uD800\",\"host_key_fingerprint\":\"\\uD800\"}}"),
            ("/api/auth/createtoken", "{\"name\":\"\\uD800\",\"roles\":[\"admin\"]}"),
            ("/api/segment", "{\"name\":\"\\uD800\",\"segment_ql\":\"FILTER *\"}"),
            ("/api/segment/_test", "{\"segment_ql\":\"FILTER a = \\\"\\uD800\\\"\",\"entity\":{\"\\uDC00\":1}}"),
            ("/api/segment/validate", "{\"segment_ql\":\"FILTER \\uD800\"}"),
            ("/v2/job/braze-export-audience", "{\"label\":\"\\uD800\",\"auth_ids\":[\"\\uDC00\"],\"config\":{\"segment_ids\":[\"\\uD800\"]}}"),
            ("/v2/job/braze-export-audience/_dryrun", "{\"label\":\"x\",\"auth_ids\":[\"a\"],\"config\":{\"external_id_field\":\"\\uD800\",\"segment_ids\":[\"all\"]}}"),
            ("/v2/job/csv-import", "{\"label\":\"x\",\"auth_ids\":[\"a\"],\"config\":{\"directory\":\"\\uD800\",\"file_pattern\":\"*\\uDC00\",\"headers\":[\"\\uD800\"]}}"),
        })
        {
            await CheckAsync(route, S.Http.PostRawAsync($"{route}?key={token}", body));
        }
        foreach (var value in IdentityValues())
        {
            await CheckAsync("entity get", S.Http.GetAsync($"/api/entity/user/braze_id/{value}?key={token}"));
            await CheckAsync("entity get field", S.Http.GetAsync($"/api/entity/user/{value}/x?key={token}&fields={value}"));
            await CheckAsync("entity delete", S.Http.DeleteAsync($"/api/entity/user/braze_id/{value}?key={token}"));
            await CheckAsync("pixel", S.Http.GetAsync($"/c/{S.AccountNumber}/braze_users?key={token}&braze_id={value}&{value}=1"));
        }

        var after = $"canary-after-{Guid.NewGuid():N}";
        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/braze_users?key={token}", $$"""{"braze_id":"{{after}}"}""")).AssertOkAsync();
        await S.WaitForProcessingAsync();

        Assert.Empty(_failures);
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync($"/api/entity/user/braze_id/{before}?key={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync($"/api/entity/user/braze_id/{after}?key={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await S.Http.GetAsync("/readyz")).StatusCode);
    }
}
