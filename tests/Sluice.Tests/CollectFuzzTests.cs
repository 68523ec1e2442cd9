using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>Random and mutated bodies never produce a 5xx, a non-JSON answer or a sick server.</summary>
public sealed class CollectFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] Seeds =
    [
        """{"email":"a@b.co","braze_id":"x","first_name":"Ann","date_of_birth":"19820101"}""",
        """[{"a":1},{"b":[1,2,{"c":null}]},{"d":"\u00e9\ud83d\ude00"}]""",
        "{\"a\":1}\n{\"b\":2}\n",
        """{"ts":"2026-01-01T00:00:00Z","nested":{"deep":{"er":[true,false,1.5e3]}}}""",
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "application/x-ndjson", "text/plain", "application/x-www-form-urlencoded", "application/xml", "", "application/json; charset=latin1"];

    private const string Alphabet = "{}[]\",:\\\n0e-";

    private static readonly string[] Queries = ["", "&dryrun=true", "&droperrors=true", "&timestamp_field=ts", "&timestamp_field=", "&droperrors=1&dryrun=1"];

    [Fact]
    public async Task Three_thousand_random_bodies_get_2xx_or_a_4xx_json_error_and_the_server_stays_healthy()
    {
        var s = fixture.Server;
        var token = await s.TokenAsync("data_manager");
        var random = new Random(20261122);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 3000; i++)
        {
            var body = Mutate(random);
            var content = new ByteArrayContent(body);
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", type);
            var stream = random.Next(20) == 0 ? "bad%20stream" : "fuzz";
            var response = await s.Http.PostAsync($"/c/{s.AccountNumber}/{stream}?key={token}{Queries[random.Next(Queries.Length)]}", content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status is >= 200 and < 300 or >= 400 and < 500, $"status {status} for body {Convert.ToBase64String(body)}: {text}");
            var json = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(status, (int)json["status"]!);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
        // The generator must exercise both outcomes, or the test proves little.
        Assert.True(statuses.Where(kv => kv.Key < 300).Sum(kv => kv.Value) > 100, string.Join(", ", statuses));
        Assert.True(statuses.Where(kv => kv.Key >= 400).Sum(kv => kv.Value) > 100, string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/readyz")).StatusCode);
        await s.WaitForProcessingAsync();
    }

    private static byte[] Mutate(Random random)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 200)];
            random.NextBytes(noise);
            return noise;
        }
        var bytes = Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]).ToList();
        var edits = random.Next(0, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)Alphabet[random.Next(Alphabet.Length)]); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, bytes.GetRange(0, Math.Min(at, 20))); break;
            }
        }
        return [.. bytes];
    }
}
