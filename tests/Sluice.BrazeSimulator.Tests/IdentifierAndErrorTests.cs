using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

public sealed class IdentifierAndErrorTests
{
    [Fact]
    public async Task Bad_objects_are_reported_by_array_and_index_while_the_rest_is_applied()
    {
        await using var sim = await SimFixture.StartAsync();
        var body = await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "good-1", first_name = "Ann" },
                new { external_id = new string('x', 988), first_name = "Too long" },
                new { external_id = "dummy", first_name = "Placeholder" },
                new { external_id = "good-2", email = "not-an-email" },
                new { first_name = "Nobody" },
                new { external_id = "good-3", braze_id = "0123456789abcdef01234567" },
                new { external_id = "good-4", first_name = "Bea" },
            },
            events = new object[]
            {
                new { external_id = "good-1", name = "opened", time = "yesterday" },
                new { external_id = "good-1", name = "opened", time = "2025-01-01T10:00:00Z" },
            },
        });

        // Partial success keeps "success" and carries errors instead of the processed counts.
        Assert.Equal("success", (string?)body["message"]);
        Assert.Null(body["attributes_processed"]);
        var errors = body["errors"]!.AsArray().Select(e => ((string)e!["type"]!, (string)e["input_array"]!, (int)e["index"]!)).ToList();
        Assert.Equal(
            [
                ("EXTERNAL_USER_ID_TOO_LARGE", "attributes", 1),
                ("BLACKLISTED_EXTERNAL_USER_ID", "attributes", 2),
                ("EMAIL_BAD_FORMAT", "attributes", 3),
                ("USER_IDENTIFIER_MISSING", "attributes", 4),
                ("MULTIPLE_USER_IDENTIFIERS", "attributes", 5),
                ("INVALID_DATE_FORMAT", "events", 0),
            ],
            errors);
        Assert.Equal("Ann", (string?)await sim.AttributeAsync("good-1", "first_name"));
        Assert.Equal("Bea", (string?)await sim.AttributeAsync("good-4", "first_name"));
        Assert.Null(await sim.UserAsync("good-2"));
        Assert.Equal(1, (int)(await sim.UserAsync("good-1"))!["custom_events"]!["opened"]!["count"]!);
    }

    [Fact]
    public async Task The_external_id_limit_is_987_bytes_not_characters()
    {
        await using var sim = await SimFixture.StartAsync();
        var fits = new string('é', 493) + "x"; // 987 bytes in UTF-8
        var tooLong = new string('é', 494); // 988 bytes, 494 characters
        var body = await sim.TrackOkAsync(new { attributes = new[] { new { external_id = fits }, new { external_id = tooLong } } });
        Assert.Equal("EXTERNAL_USER_ID_TOO_LARGE", (string?)body["errors"]![0]!["type"]);
        Assert.Equal(1, (int)body["errors"]![0]!["index"]!);
        Assert.NotNull(await sim.UserAsync(fits));
    }

    [Theory]
    [InlineData("dummy")]
    [InlineData("NULL")]
    [InlineData("undefined")]
    [InlineData("N/A")]
    [InlineData("-1")]
    public async Task Placeholder_external_ids_are_refused(string id)
    {
        await using var sim = await SimFixture.StartAsync();
        using var response = await sim.TrackAsync(new { attributes = new[] { new { external_id = id } } });
        var body = await SimFixture.ReadObjectAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BLACKLISTED_EXTERNAL_USER_ID", (string?)body["errors"]![0]!["type"]);
    }

    [Fact]
    public async Task When_every_object_fails_the_request_is_400_with_the_errors()
    {
        await using var sim = await SimFixture.StartAsync();
        using var response = await sim.TrackAsync(new { attributes = new[] { new { first_name = "nobody" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await SimFixture.ReadObjectAsync(response);
        Assert.StartsWith("Valid data must be provided", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal("attributes", (string?)body["errors"]![0]!["input_array"]);
    }

    [Fact]
    public async Task Success_reports_processed_counts_only_for_the_arrays_sent()
    {
        await using var sim = await SimFixture.StartAsync();
        var attributesOnly = await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "a" }, new { external_id = "b" } } });
        Assert.Equal(
            """{"message":"success","attributes_processed":2}""",
            attributesOnly.ToJsonString());
        var all = await sim.TrackOkAsync(AuthAndLimitsTests.Objects(1, 2, 3));
        Assert.Equal(1, (int)all["attributes_processed"]!);
        Assert.Equal(2, (int)all["events_processed"]!);
        Assert.Equal(3, (int)all["purchases_processed"]!);
    }

    [Fact]
    public async Task The_success_status_can_be_200_instead_of_201()
    {
        await using var sim = await SimFixture.StartAsync(o => o.SuccessStatusCode = 200);
        using var response = await sim.TrackAsync(new { attributes = new[] { new { external_id = "a" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_external_ids_are_created_unless_update_existing_only_is_set()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "created", first_name = "A" },
                new { external_id = "not-created", first_name = "B", _update_existing_only = true },
            },
        });
        Assert.NotNull(await sim.UserAsync("created"));
        Assert.Null(await sim.UserAsync("not-created"));

        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "created", first_name = "C", _update_existing_only = true } } });
        Assert.Equal("C", (string?)await sim.AttributeAsync("created", "first_name"));
        var stats = await sim.StatsAsync();
        Assert.Equal(1, (int)stats["users"]!);
        Assert.Equal(1, (int)stats["skipped_update_existing_only"]!);
    }

    [Fact]
    public async Task The_update_existing_only_default_is_configurable()
    {
        await using var sim = await SimFixture.StartAsync(o => o.UpdateExistingOnlyDefault = true);
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "ghost" } } });
        Assert.Null(await sim.UserAsync("ghost"));
    }

    [Fact]
    public async Task Aliases_create_profiles_only_with_an_explicit_false()
    {
        await using var sim = await SimFixture.StartAsync();
        var alias = new { alias_name = "crm-1", alias_label = "crm" };
        await sim.TrackOkAsync(new { attributes = new[] { new { user_alias = alias, first_name = "Skipped" } } });
        Assert.Equal(0, (int)(await sim.StatsAsync())["users"]!);

        await sim.TrackOkAsync(new { attributes = new object[] { new { user_alias = alias, first_name = "Made", _update_existing_only = false } } });
        await sim.TrackOkAsync(new { attributes = new[] { new { user_alias = alias, last_name = "Later" } } });
        var users = await sim.Client.GetStringAsync("sim/users?attribute=first_name&equals=Made", SimFixture.Ct);
        var user = JsonNode.Parse(users)!["users"]![0]!;
        Assert.Equal("Later", (string?)user["attributes"]!["last_name"]);
        Assert.Equal("crm", (string?)user["user_aliases"]![0]!["alias_label"]);
    }

    [Fact]
    public async Task Braze_ids_address_existing_profiles_and_never_create_them()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "known" } } });
        var brazeId = (string)(await sim.UserAsync("known"))!["braze_id"]!;
        Assert.Matches("^[0-9a-f]{24}$", brazeId);

        await sim.TrackOkAsync(new
        {
            attributes = new[]
            {
                new { braze_id = brazeId, first_name = "ByBrazeId" },
                new { braze_id = "ffffffffffffffffffffffff", first_name = "Nobody" },
            },
        });
        Assert.Equal("ByBrazeId", (string?)await sim.AttributeAsync("known", "first_name"));
        Assert.Equal(1, (int)(await sim.StatsAsync())["users"]!);
    }

    [Fact]
    public async Task Email_and_phone_identify_profiles_and_email_wins_when_both_are_sent()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { email = "solo@example.com", first_name = "EmailOnly" },
                new { phone = "+15551230000", first_name = "PhoneOnly" },
                new { email = "solo@example.com", phone = "+15551230000", last_name = "Both" },
            },
        });
        var stats = await sim.StatsAsync();
        Assert.Equal(2, (int)stats["users"]!);
        var byEmail = JsonNode.Parse(await sim.Client.GetStringAsync("sim/users?attribute=email&equals=solo@example.com", SimFixture.Ct))!["users"]![0]!;
        Assert.Equal("Both", (string?)byEmail["attributes"]!["last_name"]);
        Assert.Null(byEmail["external_id"]);
    }

    [Fact]
    public async Task An_email_shared_by_several_profiles_resolves_to_the_latest_updated_one_with_an_external_id()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "older", email = "shared@example.com" },
                new { external_id = "newer", email = "shared@example.com" },
                new { email = "shared@example.com", first_name = "ByEmail" },
            },
        });
        Assert.Equal("ByEmail", (string?)await sim.AttributeAsync("newer", "first_name"));
        Assert.Null(await sim.AttributeAsync("older", "first_name"));
    }

    [Fact]
    public async Task Unknown_external_id_with_a_known_email_makes_a_new_profile()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "first", email = "dup@example.com" } } });
        await sim.TrackOkAsync(new { attributes = new[] { new { external_id = "second", email = "dup@example.com" } } });
        Assert.Equal(2, (int)(await sim.StatsAsync())["users"]!);
    }

    [Fact]
    public async Task Events_and_purchases_are_validated_counted_and_never_deduplicated()
    {
        await using var sim = await SimFixture.StartAsync();
        var ev = new { external_id = "buyer", name = "viewed", time = "2025-02-01T00:00:00Z" };
        var body = await sim.TrackOkAsync(new
        {
            events = new object[] { ev, ev, new { external_id = "buyer", name = "", time = "2025-02-01T00:00:00Z" } },
            purchases = new object[]
            {
                new { external_id = "buyer", product_id = "sku", currency = "eur", price = 2.5, quantity = 2, time = "2025-02-01T00:00:00Z" },
                new { external_id = "buyer", product_id = "sku", currency = "EURO", price = 1, time = "2025-02-01T00:00:00Z" },
                new { external_id = "buyer", product_id = "sku", currency = "EUR", price = "1", time = "2025-02-01T00:00:00Z" },
            },
        });
        var types = body["errors"]!.AsArray().Select(e => (string)e!["type"]!).ToArray();
        Assert.Equal(["INVALID_EVENT_NAME", "INVALID_CURRENCY", "INVALID_PRICE"], types);
        var user = (await sim.UserAsync("buyer"))!;
        Assert.Equal(2, (int)user["custom_events"]!["viewed"]!["count"]!);
        Assert.Equal(2, (int)user["purchases"]!["sku"]!["count"]!);
        Assert.Equal(5.0m, (decimal)user["purchases"]!["sku"]!["total"]!);
        Assert.Equal("EUR", (string?)user["purchases"]!["sku"]!["currency"]);
    }

    [Fact]
    public async Task Event_times_in_the_future_are_clamped_to_now()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { events = new[] { new { external_id = "e", name = "later", time = "2099-01-01T00:00:00Z" } } });
        var ev = (await sim.UserAsync("e"))!["custom_events"]!["later"]!;
        Assert.Equal("2025-03-01T12:00:01.000Z", (string?)ev["last"]);
    }
}
