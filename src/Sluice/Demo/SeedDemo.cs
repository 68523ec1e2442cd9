using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.Demo;

/// <summary>
/// The integration guide's whole flow against a running Sluice and a Braze simulator, through their public APIs only:
/// Braze users exist; a webhook campaign sends them to Sluice (<c>/c/{aid}/braze_users?key=</c>); Sluice builds
/// profiles and audiences; an Export Audience job writes each user's <c>lytics_segments</c> back to Braze.
/// </summary>
internal sealed class SeedDemo(HttpClient sluice, HttpClient braze, string brazeKey, long accountNumber, TextWriter output)
{
    private static readonly (string City, string Country)[] Places = [("Oslo", "NO"), ("Bergen", "NO"), ("Lyon", "FR"), ("Austin", "US"), ("Osaka", "JP")];

    private static readonly string[] Names = ["Ada", "Bjørn", "Chloé", "Diego", "Emi", "Farah", "Gustav", "Hana", "Ivo", "Jun"];

    /// <summary>Runs the flow and answers the Braze users the demo made, with the values they hold in the end.</summary>
    public async Task<IReadOnlyList<JsonObject>> RunAsync(int users, TimeSpan patience, CancellationToken ct)
    {
        await SeedBrazeUsersAsync(users, ct);
        var webhookToken = (string)(await PostAsync(sluice, "/api/auth/createtoken",
            new JsonObject { ["name"] = "braze-webhook", ["roles"] = new JsonArray("data_manager"), ["expires"] = "7d" }, ct))["data"]!["token"]!;
        await PostAsync(sluice, "/api/segment", new JsonObject { ["name"] = "Nordic", ["slug_name"] = "nordic", ["segment_ql"] = "FILTER country IN (\"Norway\", \"NO\")" }, ct);
        var auth = (string)(await PostAsync(sluice, "/api/auth", new JsonObject
        {
            ["provider"] = "braze",
            ["label"] = "Braze (simulator)",
            ["config"] = new JsonObject { ["api_key"] = brazeKey, ["rest_url"] = braze.BaseAddress!.ToString() },
        }, ct))["data"]!["id"]!;
        var job = (string)(await PostAsync(sluice, "/v2/job/braze-export-audience", new JsonObject
        {
            ["label"] = "Braze audiences",
            ["auth_ids"] = new JsonArray(auth),
            ["config"] = new JsonObject
            {
                ["external_id_field"] = "braze_id",
                ["identifier_type"] = "braze_id",
                ["segment_ids"] = new JsonArray("all", "known", "new", "nordic"),
                ["existing_users"] = true,
            },
        }, ct))["data"]!["id"]!;
        output.WriteLine($"Created the access token, the audience 'nordic', the Braze authorization and the export job {job}.");

        var webhook = new Uri(sluice.BaseAddress!, $"c/{accountNumber}/braze_users?key={webhookToken}");
        var campaign = (string)(await PostAsync(braze, "/sim/campaigns", new JsonObject
        {
            ["name"] = "Sluice webhook",
            ["url"] = webhook.ToString(),
            ["method"] = "POST",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            // The integration guide's webhook body, in Braze's Liquid.
            ["body"] = """{"city":"{{${city}}}","country":"{{${country}}}","first_name":"{{${first_name}}}","last_name":"{{${last_name}}}","email":"{{${email_address}}}","braze_id":"{{${braze_id}}}"}""",
            ["segment"] = "all",
            ["rate_per_minute"] = 600_000,
        }, ct))["id"]!;
        output.WriteLine($"The simulator's webhook campaign sends {users} users to {webhook.GetLeftPart(UriPartial.Path)}?key=...");

        var deadline = DateTimeOffset.UtcNow + patience;
        var made = new List<JsonObject>();
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = (await braze.GetFromJsonAsync<JsonObject>($"/sim/campaigns/{campaign}", ct))!;
            made.Clear();
            for (var i = 0; i < users; i++)
            {
                var user = await braze.GetFromJsonAsync<JsonObject>($"/sim/users/demo-{i}", ct);
                if (user is not null) made.Add(user);
            }
            var exported = made.Count(u => u["attributes"]?["lytics_segments"] is JsonArray { Count: > 0 });
            if ((string)status["status"]! == "completed" && exported == users) break;
            await Task.Delay(500, ct);
        }
        return made;
    }

    private async Task SeedBrazeUsersAsync(int users, CancellationToken ct)
    {
        foreach (var chunk in Enumerable.Range(0, users).Chunk(75))
        {
            var attributes = new JsonArray([.. chunk.Select(i =>
            {
                var (city, country) = Places[i % Places.Length];
                return (JsonNode)new JsonObject
                {
                    ["external_id"] = $"demo-{i}",
                    ["first_name"] = Names[i % Names.Length],
                    ["last_name"] = $"Person{i}",
                    ["email"] = $"demo{i}@example.com",
                    ["home_city"] = city,
                    ["country"] = country,
                };
            })]);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/users/track") { Content = JsonContent.Create(new JsonObject { ["attributes"] = attributes }) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", brazeKey);
            (await braze.SendAsync(request, ct)).EnsureSuccessStatusCode();
        }
        output.WriteLine($"Braze (the simulator) has {users} users, demo-0 to demo-{users - 1}.");
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
