using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

public sealed class AttributeTests
{
    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(v => (string)v!).ToArray();

    [Fact]
    public async Task Scalars_are_set_and_null_removes_an_attribute()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "s", plan = "gold", visits = 3, score = 1.5, vip = true } } });
        var attributes = (await sim.UserAsync("s"))!["attributes"]!;
        Assert.Equal("gold", (string?)attributes["plan"]);
        Assert.Equal(3, (long)attributes["visits"]!);
        Assert.Equal(1.5, (double)attributes["score"]!);
        Assert.True((bool)attributes["vip"]!);

        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "s", plan = (string?)null } } });
        Assert.False((await sim.UserAsync("s"))!["attributes"]!.AsObject().ContainsKey("plan"));
    }

    [Fact]
    public async Task Strings_longer_than_255_characters_are_a_per_object_error()
    {
        await using var sim = await SimFixture.StartAsync();
        var body = await sim.TrackOkAsync(new
        {
            attributes = new[]
            {
                new { external_id = "fits", bio = new string('a', 255) },
                new { external_id = "long", bio = new string('a', 256) },
            },
        });
        Assert.Equal("ATTRIBUTE_VALUE_TOO_LONG", (string?)body["errors"]![0]!["type"]);
        Assert.Equal(255, ((string)(await sim.AttributeAsync("fits", "bio"))!).Length);
        Assert.Null(await sim.UserAsync("long"));
    }

    [Fact]
    public async Task Long_strings_can_be_truncated_instead()
    {
        await using var sim = await SimFixture.StartAsync(o => o.TruncateLongStrings = true);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "long", bio = new string('a', 300) } } });
        Assert.Equal(255, ((string)(await sim.AttributeAsync("long", "bio"))!).Length);
    }

    [Fact]
    public async Task Dates_must_be_iso_8601()
    {
        await using var sim = await SimFixture.StartAsync();
        var body = await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "d1", renewal = new Dictionary<string, string> { ["$time"] = "2025-06-01T08:30:00+02:00" }, dob = "1982-01-01" },
                new { external_id = "d2", renewal = new Dictionary<string, string> { ["$time"] = "06/01/2025" } },
                new { external_id = "d3", dob = "01/01/1982" },
            },
        });
        Assert.Equal(["INVALID_DATE_FORMAT", "INVALID_DATE_FORMAT"], body["errors"]!.AsArray().Select(e => (string)e!["type"]!).ToArray());
        Assert.Equal("2025-06-01T06:30:00.000Z", (string?)await sim.AttributeAsync("d1", "renewal"));
        Assert.Equal("1982-01-01", (string?)await sim.AttributeAsync("d1", "dob"));
    }

    [Fact]
    public async Task A_bare_array_replaces_the_value_as_a_set()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "a", tags = new[] { "x", "y" } } } });
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "a", tags = new[] { "b", "a", "b" } } } });
        Assert.Equal(["a", "b"], Strings(await sim.AttributeAsync("a", "tags")));
    }

    [Fact]
    public async Task Add_and_remove_change_an_array_as_a_set_and_a_readded_value_moves_to_the_end()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "m", lytics_segments = new[] { "all", "new", "known" } } } });
        await sim.TrackOkAsync(new
        {
            attributes = new[]
            {
                new { external_id = "m", lytics_segments = new { add = new[] { "all", "vip", "vip" }, remove = new[] { "new", "absent" } } },
            },
        });
        Assert.Equal(["known", "all", "vip"], Strings(await sim.AttributeAsync("m", "lytics_segments")));

        // add on a missing attribute starts an array; remove alone works too.
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "m", fresh = new { add = new[] { "one" } }, lytics_segments = new { remove = new[] { "all" } } } } });
        Assert.Equal(["one"], Strings(await sim.AttributeAsync("m", "fresh")));
        Assert.Equal(["known", "vip"], Strings(await sim.AttributeAsync("m", "lytics_segments")));
    }

    [Fact]
    public async Task Remove_can_be_applied_before_add()
    {
        await using var sim = await SimFixture.StartAsync(o => o.RemoveBeforeAdd = true);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "o", segs = new { add = new[] { "x" }, remove = new[] { "x" } } } } });
        Assert.Equal(["x"], Strings(await sim.AttributeAsync("o", "segs")));

        await using var strict = await SimFixture.StartAsync();
        await strict.TrackOkAsync(new { attributes = new[] { new { external_id = "o", segs = new { add = new[] { "x" }, remove = new[] { "x" } } } } });
        Assert.Empty(Strings(await strict.AttributeAsync("o", "segs")));
    }

    [Fact]
    public async Task Arrays_of_objects_and_bad_flags_are_per_object_errors()
    {
        await using var sim = await SimFixture.StartAsync();
        var body = await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "ok" },
                new { external_id = "aoo", pets = new Dictionary<string, object> { ["$add"] = new[] { new { name = "Rex" } } } },
                new { external_id = "flag", _update_existing_only = "yes" },
                new { external_id = "mixed", tags = new object[] { "a", new { b = 1 } } },
            },
        });
        Assert.Equal(["INVALID_ATTRIBUTE_VALUE", "INVALID_ATTRIBUTE_VALUE", "INVALID_ATTRIBUTE_VALUE"], body["errors"]!.AsArray().Select(e => (string)e!["type"]!).ToArray());
    }

    [Fact]
    public async Task Concurrent_adds_to_one_users_array_are_never_lost()
    {
        await using var sim = await SimFixture.StartAsync(o => o.ArrayCap = 100);
        using var first = sim.NewClient();
        using var second = sim.NewClient();
        var adds = Enumerable.Range(0, 100).Select(i => sim.TrackAsync(
            new { attributes = new[] { new { external_id = "busy", segs = new { add = new[] { $"s{i}" } } } } },
            i % 2 == 0 ? first : second));
        foreach (var response in await Task.WhenAll(adds))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"s{i}").Order(StringComparer.Ordinal), Strings(await sim.AttributeAsync("busy", "segs")).Order(StringComparer.Ordinal));
        Assert.Equal(1, (int)(await sim.StatsAsync())["users"]!);
    }

    [Fact]
    public async Task Arrays_over_the_cap_of_25_are_truncated_silently()
    {
        await using var sim = await SimFixture.StartAsync();
        var thirty = Enumerable.Range(0, 30).Select(i => $"v{i}").ToArray();
        var body = await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "c", many = thirty } } });
        Assert.Null(body["errors"]);
        Assert.Equal(thirty.Take(25), Strings(await sim.AttributeAsync("c", "many")));

        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "c", many = new { add = new[] { "late" } } } } });
        var values = Strings(await sim.AttributeAsync("c", "many"));
        Assert.Equal(25, values.Length);
        Assert.DoesNotContain("late", values);
    }

    [Fact]
    public async Task The_cap_is_configurable_up_to_100_and_can_keep_the_newest_values()
    {
        await using var sim = await SimFixture.StartAsync(o =>
        {
            o.ArrayCap = 100;
            o.ArrayOverflow = ArrayOverflow.KeepLast;
        });
        var values = Enumerable.Range(0, 120).Select(i => $"v{i}").ToArray();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "c", many = values } } });
        Assert.Equal(values.Skip(20), Strings(await sim.AttributeAsync("c", "many")));
        await Assert.ThrowsAsync<ArgumentException>(() => SimFixture.StartAsync(o => o.ArrayCap = 101));
    }

    [Fact]
    public async Task Nested_attributes_merge_null_removes_a_key_and_one_bad_value_drops_the_whole_update()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "n", pet = new { name = "Rex", age = 3, vet = new { city = "Oslo" } } } } });
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "n", pet = new { age = 4, name = (string?)null, vet = new { phone = "555" } } } } });
        Assert.Equal("""{"age":4,"vet":{"city":"Oslo","phone":"555"}}""", (await sim.AttributeAsync("n", "pet"))!.ToJsonString());

        var body = await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "n", plan = "gold", pet = new { age = 5, bio = new string('x', 300) } } } });
        Assert.Null(body["errors"]);
        Assert.Equal(4, (int)(await sim.AttributeAsync("n", "pet"))!["age"]!);
        Assert.Equal("gold", (string?)await sim.AttributeAsync("n", "plan"));
        Assert.Equal(1, (int)(await sim.StatsAsync())["nested_updates_dropped"]!);
    }

    [Fact]
    public async Task Standard_attributes_are_validated()
    {
        await using var sim = await SimFixture.StartAsync();
        var body = await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "ok", gender = "F", email = "ok@example.com", email_subscribe = "opted_in" },
                new { external_id = "g", gender = "female" },
                new { external_id = "s", email_subscribe = "maybe" },
            },
        });
        Assert.Equal(["INVALID_GENDER", "BAD_EMAIL_SUBSCRIPTION_STATE"], body["errors"]!.AsArray().Select(e => (string)e!["type"]!).ToArray());
    }

    [Fact]
    public async Task Data_points_follow_brazes_counting_rules()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                // 2 scalars + 1 null = 3
                new { external_id = "p", first_name = "A", plan = "gold", old = (string?)null },
                // add of 3 values = 3, remove call = 1, bare array = 1
                new { external_id = "p", segs = new { add = new[] { "a", "b", "c" }, remove = new[] { "x", "y" } }, tags = new[] { "t1", "t2" } },
                // nested: one per key (null too) = 3
                new { external_id = "p", pet = new { name = "Rex", age = (int?)null, vet = new { city = "Oslo" } } },
                // identifiers and _update_existing_only are free; an unchanged value still counts = 1
                new { external_id = "p", first_name = "A", _update_existing_only = true },
                // skipped (update-only on an unknown user): nothing written, nothing counted
                new { external_id = "ghost", first_name = "G", _update_existing_only = true },
            },
            events = new[] { new { external_id = "p", name = "e", time = "2025-01-01T00:00:00Z" } },
            purchases = new[] { new { external_id = "p", product_id = "x", currency = "USD", price = 1, time = "2025-01-01T00:00:00Z" } },
        });
        Assert.Equal(3 + 5 + 3 + 1 + 1 + 1, (int)(await sim.StatsAsync())["data_points"]!);
    }
}
