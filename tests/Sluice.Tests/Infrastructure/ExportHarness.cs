using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// A Sluice node (in-process or the real executable, reached over HTTP either way) and the Braze simulator, with the
/// calls an export test makes: authorizations, audiences, jobs, webhooks, and waits for eventual outcomes that poll
/// with a deadline instead of sleeping.
/// </summary>
public sealed class ExportHarness(HttpClient http, string token, long accountNumber, BrazeSim sim)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public HttpClient Http { get; } = http;

    public string Token { get; } = token;

    public long AccountNumber { get; } = accountNumber;

    public BrazeSim Sim { get; } = sim;

    public string? JobId { get; set; }

    public async Task<string> AuthorizeAsync(string key = BrazeSim.TrackKey)
    {
        var created = await (await Http.PostAsJsonAsync($"/api/auth?key={Token}", new JsonObject
        {
            ["provider"] = "braze",
            ["label"] = "simulator",
            ["config"] = new JsonObject { ["api_key"] = key, ["rest_url"] = Sim.BaseAddress.ToString() },
        })).AssertOkAsync();
        return (string)created["data"]!["id"]!;
    }

    /// <summary>Creates a job exporting <paramref name="audiences"/> keyed by <c>braze_id</c>; returns the whole response.</summary>
    public async Task<JsonObject> CreateJobAsync(string authId, bool existingUsers, string[] audiences, JsonObject? extra = null)
    {
        var config = new JsonObject
        {
            ["external_id_field"] = "braze_id",
            ["segment_ids"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["existing_users"] = existingUsers,
            ["linger_ms"] = 200,
        };
        foreach (var (name, value) in extra ?? []) config[name] = value?.DeepClone();
        var created = await (await Http.PostAsJsonAsync($"/v2/job/braze-export-audience?key={Token}", new JsonObject
        {
            ["label"] = "Braze audiences",
            ["auth_ids"] = new JsonArray(authId),
            ["config"] = config,
        })).AssertOkAsync();
        JobId = (string)created["data"]!["id"]!;
        return created;
    }

    public async Task CreateAudienceAsync(string slug, string ql) =>
        await (await Http.PostAsJsonAsync($"/api/segment?key={Token}", new JsonObject { ["name"] = slug, ["slug_name"] = slug, ["segment_ql"] = ql }))
            .AssertOkAsync();

    public async Task PostWebhookAsync(string brazeId, string city, string? email = null) =>
        await (await Http.PostRawAsync($"/c/{AccountNumber}/braze_users?key={Token}",
            $$"""{"braze_id":"{{brazeId}}","email":"{{email ?? brazeId + "@example.com"}}","city":"{{city}}"}""")).AssertOkAsync();

    /// <summary>Many users in one bulk upload (NDJSON): (braze_id, city).</summary>
    public async Task PostBulkAsync(IEnumerable<(string BrazeId, string City)> users)
    {
        var body = new StringBuilder();
        foreach (var (id, city) in users) body.Append($$"""{"braze_id":"{{id}}","email":"{{id}}@example.com","city":"{{city}}"}""").Append('\n');
        await (await Http.PostAsync($"/collect/bulk/braze_users?key={Token}", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson")))
            .AssertOkAsync();
    }

    public async Task<JsonObject> JobAsync() =>
        (await (await Http.GetAsync($"/v2/job/{JobId}?key={Token}")).AssertOkAsync())["data"]!.AsObject();

    public async Task<JsonArray> RowsAsync(string? status = null, string? user = null) =>
        (await (await Http.GetAsync($"/v2/job/{JobId}/rows?key={Token}&limit=1000{(status is null ? "" : "&status=" + status)}{(user is null ? "" : "&user=" + Uri.EscapeDataString(user))}"))
            .AssertOkAsync())["data"]!.AsArray();

    public async Task<JsonObject> OperateAsync(string operation) =>
        (await (await Http.PostAsync($"/v2/job/{JobId}/{operation}?key={Token}", null)).AssertOkAsync())["data"]!.AsObject();

    /// <summary>Polls the job until <paramref name="condition"/> holds; fails with the last view otherwise.</summary>
    public async Task<JsonObject> JobEventuallyAsync(Func<JsonObject, bool> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        JsonObject job;
        do
        {
            job = await JobAsync();
            if (condition(job)) return job;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{what}; the job is {job.ToJsonString()}");
        return job;
    }

    /// <summary>
    /// Waits until the job has looked at every feed entry so far and no pass is under way: lag 0, streaming, and
    /// the backfill (if any) complete. The caller makes sure processing has applied every event first.
    /// </summary>
    public Task<JsonObject> CaughtUpAsync(TimeSpan? patience = null) => JobEventuallyAsync(
        job => job["metrics"] is { } m && job["progress"] is { } p && (long)m["lag"]! == 0 && (string)p["state"]! == "streaming" &&
            (p["backfill"] is null || (bool)p["backfill"]!["complete"]!),
        "the export job did not catch up with the membership feed", patience);

    /// <summary>Waits until the simulator's user holds exactly these values.</summary>
    public async Task EventuallyHoldsAsync(string user, params string[] expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyList<string> seen;
        do
        {
            seen = await Sim.ArrayAsync(user, "lytics_segments");
            if (Same(seen, expected)) return;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{user} holds [{string.Join(", ", seen)}], expected [{string.Join(", ", expected)}]");
    }

    /// <summary>
    /// Waits until every simulator user named in <paramref name="expected"/> holds exactly its values (no user missing
    /// that should hold some, no stale value) and no other simulator user holds any; fails with the differences.
    /// </summary>
    public async Task EveryUserEventuallyHoldsAsync(IReadOnlyDictionary<string, string[]> expected, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        List<string> wrong;
        do
        {
            var held = await AllArraysAsync();
            wrong = [.. expected.Where(e => !Same(held.GetValueOrDefault(e.Key, []), e.Value))
                .Select(e => $"{e.Key}: [{string.Join(", ", held.GetValueOrDefault(e.Key, []))}] instead of [{string.Join(", ", e.Value)}]")
                .Concat(held.Where(h => !expected.ContainsKey(h.Key) && h.Value.Count > 0).Select(h => $"{h.Key}: [{string.Join(", ", h.Value)}] instead of nothing"))];
            if (wrong.Count == 0) return;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{wrong.Count} Braze users differ from their membership, e.g. {string.Join("; ", wrong.Take(10))}");
    }

    /// <summary>Every simulator user's <c>lytics_segments</c> (empty when it has none).</summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> AllArraysAsync()
    {
        var all = await Sim.Http.GetFromJsonAsync<JsonObject>("sim/users?limit=100000");
        var held = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var user in all!["users"]!.AsArray())
        {
            var id = (string?)user!["external_id"];
            if (id is null) continue;
            held[id] = user["attributes"]?["lytics_segments"] is JsonArray a ? [.. a.Select(v => (string)v!)] : [];
        }
        return held;
    }

    public static bool Same(IReadOnlyList<string> seen, IReadOnlyList<string> expected) =>
        seen.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
