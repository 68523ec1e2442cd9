using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

public sealed class InspectionTests
{
    [Fact]
    public async Task A_user_is_shown_with_ids_attributes_events_and_an_unknown_one_is_404()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new[] { new { external_id = "ann", first_name = "Ann", lytics_segments = new[] { "all" } } },
            events = new[] { new { external_id = "ann", name = "login", time = "2025-01-01T00:00:00Z" } },
        });
        var user = (await sim.UserAsync("ann"))!;
        Assert.Equal("ann", (string?)user["external_id"]);
        Assert.Matches("^[0-9a-f]{24}$", (string?)user["braze_id"]);
        Assert.Equal("Ann", (string?)user["attributes"]!["first_name"]);
        Assert.Equal(1, (int)user["custom_events"]!["login"]!["count"]!);
        Assert.Equal("2025-03-01T12:00:01.000Z", (string?)user["created_at"]);

        using var missing = await sim.Client.GetAsync("sim/users/nobody", SimFixture.Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.NotNull((await SimFixture.ReadObjectAsync(missing))["error"]);
    }

    [Fact]
    public async Task Bodies_that_do_not_bind_get_a_json_error_and_non_loopback_urls_are_refused()
    {
        await using var sim = await SimFixture.StartAsync();
        using var bad = await sim.Client.PostAsync("sim/faults", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), SimFixture.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Bad Request", (string?)(await SimFixture.ReadObjectAsync(bad))["message"]);

        await Assert.ThrowsAsync<ArgumentException>(() => SimFixture.StartAsync(o => o.Urls = "http://0.0.0.0:0"));
    }

    [Fact]
    public async Task Users_can_be_found_by_array_membership()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "a", lytics_segments = new[] { "vip", "all" } },
                new { external_id = "b", lytics_segments = new[] { "all" } },
                new { external_id = "c", lytics_segments = new[] { "vip" } },
                new { external_id = "d", plan = "vip" },
            },
        });
        var found = await sim.Client.GetFromJsonAsync<JsonObject>("sim/users?attribute=lytics_segments&contains=vip", SimFixture.Ct);
        Assert.Equal(2, (int)found!["count"]!);
        Assert.Equal(["a", "c"], found["users"]!.AsArray().Select(u => (string)u!["external_id"]!).ToArray());

        var limited = await sim.Client.GetFromJsonAsync<JsonObject>("sim/users?attribute=lytics_segments&limit=1", SimFixture.Ct);
        Assert.Equal(3, (int)limited!["count"]!);
        Assert.Single(limited["users"]!.AsArray());
    }

    [Fact]
    public async Task The_request_log_records_outcome_timing_and_body()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "a" }, new { external_id = "dummy" } } });
        using var anonymous = sim.NewClient(key: null);
        using var unauthorized = await sim.TrackAsync("{}", anonymous);

        var log = (await sim.Client.GetFromJsonAsync<JsonObject>("sim/requests", SimFixture.Ct))!["requests"]!.AsArray();
        Assert.Equal(2, log.Count);
        var first = log[0]!;
        Assert.Equal(201, (int)first["status"]!);
        Assert.Equal("POST", (string?)first["method"]);
        Assert.Equal("/users/track", (string?)first["path"]);
        Assert.Equal(2, (int)first["objects"]!);
        Assert.Equal(1, (int)first["object_errors"]!);
        Assert.True((double)first["duration_ms"]! >= 0);
        Assert.Contains("dummy", (string?)first["body"], StringComparison.Ordinal);
        Assert.Equal(401, (int)log[1]!["status"]!);
    }

    [Fact]
    public async Task Stats_count_requests_objects_errors_and_429s_and_reset_clears_everything()
    {
        await using var sim = await SimFixture.StartAsync(o => o.RateLimit = 2);
        await sim.TrackOkAsync(AuthAndLimitsTests.Objects(2, 1, 1));
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "x" }, new { external_id = "dummy" } } });
        using (var limited = await sim.TrackAsync(new { attributes = new[] { new { external_id = "y" } } }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        var stats = await sim.StatsAsync();
        Assert.Equal(3, (int)stats["requests"]!);
        Assert.Equal(2, (int)stats["accepted"]!);
        Assert.Equal(5, (int)stats["objects"]!);
        Assert.Equal(3, (int)stats["attributes_processed"]!);
        Assert.Equal(1, (int)stats["events_processed"]!);
        Assert.Equal(1, (int)stats["purchases_processed"]!);
        Assert.Equal(1, (int)stats["object_errors"]!);
        Assert.Equal(1, (int)stats["rate_limited"]!);
        Assert.Equal(5, (int)stats["users"]!);

        using var reset = await sim.Client.PostAsync("sim/reset", null, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var cleared = await sim.StatsAsync();
        Assert.Equal(0, (int)cleared["requests"]!);
        Assert.Equal(0, (int)cleared["users"]!);
        Assert.Null(await sim.UserAsync("x"));
        Assert.Empty((await sim.Client.GetFromJsonAsync<JsonObject>("sim/requests", SimFixture.Ct))!["requests"]!.AsArray());

        // The rate-limit window is cleared too.
        using var again = await sim.TrackAsync(new { attributes = new[] { new { external_id = "z" } } });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }
}
