using System.Text.Json.Nodes;

namespace Sluice.Tests.Lytics;

/// <summary><c>/api/schema</c> as lytics-js reads it (<c>TableSchema</c>, <c>DataStream</c>).</summary>
public sealed class LyticsSchemaContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task The_user_table_lists_its_fields_with_types_identities_and_streams()
    {
        var token = await S.TokenAsync("observer");
        var schema = (await S.Http.GetOkAsync($"/api/schema/user?key={token}"))["data"]!;
        Assert.Equal("user", (string)schema["name"]!);
        Assert.Contains("email", schema["by_fields"]!.AsArray().Select(f => (string)f!));
        var columns = schema["columns"]!.AsArray();
        var email = columns.Single(c => (string)c!["as"]! == "email")!;
        Assert.Equal("string", (string)email["type"]!);
        Assert.True((bool)email["is_by"]!);
        Assert.Equal(["braze_segment_export", "braze_users"], email["froms"]!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal));
        Assert.Equal("date", (string)columns.Single(c => (string)c!["as"]! == "date_of_birth")!["type"]!);
    }

    [Fact]
    public async Task The_schema_list_maps_each_table_to_its_schema()
    {
        var tables = (await S.Http.GetOkAsync($"/api/schema?key={await S.TokenAsync("observer")}"))["data"]!.AsObject();
        Assert.Equal(["user"], tables.Select(t => t.Key));
        Assert.Equal("user", (string)tables["user"]!["name"]!);
        Assert.NotEmpty(tables["user"]!["columns"]!.AsArray());
    }

    [Fact]
    public async Task A_table_sluice_does_not_have_answers_an_empty_object()
    {
        var data = (await S.Http.GetOkAsync($"/api/schema/xxx?key={await S.TokenAsync("observer")}"))["data"]!.AsObject();
        Assert.Empty(data);
    }

    [Fact]
    public async Task Field_info_counts_the_profiles_with_a_field_and_its_values()
    {
        var token = await S.TokenAsync("data_manager");
        var city = "Fieldinfo" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            var user = Seed.BrazeUser(Seed.UniqueEmail("fi"), $"fi-{Guid.NewGuid():N}");
            user["city"] = city;
            await LyticsContract.OkAsync(await S.Http.PostJsonAsync($"/c/{S.AccountNumber}/braze_users?key={token}", user));
        }
        await S.WaitForProcessingAsync();
        // Field info reads stored profiles; processing checkpoints when it catches up with the log.
        var data = (await S.Http.GetOkAsync($"/api/schema/user/fieldinfo?fields=city&key={token}"))["data"]!;
        var info = Assert.Single(data["fields"]!.AsArray())!;
        Assert.Equal("city", (string)info["field"]!);
        Assert.Equal(3, (long)info["terms_counts"]![city]!);
        Assert.True((long)info["ents_present"]! >= 3);
        LyticsContract.IsNumber(info["ents_absent"]);
        LyticsContract.IsNumber(info["approx_cardinality"]);
        LyticsContract.IsBool(info["more_terms"]);

        // lytics-js reads a 400 as "no such field" or "no such table".
        await (await S.Http.GetAsync($"/api/schema/user/fieldinfo?fields=yyy&key={token}")).AssertErrorAsync(System.Net.HttpStatusCode.BadRequest);
        await (await S.Http.GetAsync($"/api/schema/xxx/fieldinfo?fields=email&key={token}")).AssertErrorAsync(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Streams_list_the_fields_each_mapping_reads_and_what_they_feed()
    {
        var streams = (await S.Http.GetOkAsync($"/api/schema/_streams?key={await S.TokenAsync("observer")}"))["data"]!.AsArray();
        var braze = streams.Single(s => (string)s!["stream"]! == "braze_users")!;
        var phone = braze["fields"]!.AsArray().Single(f => (string)f!["name"]! == "phone_number")!;
        Assert.Equal("phone_number", (string)phone["column"]![0]!["as"]!);
        Assert.Equal("user", (string)phone["column"]![0]!["table"]!);
    }

    [Fact]
    public async Task A_stream_with_events_lists_its_count_newest_receipt_and_recent_events_as_lists_of_strings()
    {
        var token = await S.TokenAsync("data_manager");
        var stream = "unmapped_" + Guid.NewGuid().ToString("N")[..8];
        await LyticsContract.OkAsync(await S.Http.PostRawAsync($"/collect/json/{stream}?key={token}", """{"plan":"pro","seats":3,"tags":["a","b"]}"""));
        var streams = (await S.Http.GetOkAsync($"/api/schema/_streams?key={token}"))["data"]!.AsArray();
        var one = streams.Single(s => (string)s!["stream"]! == stream)!;
        Assert.Equal(1, (long)one["ct"]!);
        Assert.True(long.TryParse((string)one["last_msg_ts"]!, out _));
        var recent = Assert.Single(one["recent_events"]!.AsArray())!;
        Assert.Equal(["pro"], recent["plan"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["3"], recent["seats"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["a", "b"], recent["tags"]!.AsArray().Select(v => (string)v!));
        Assert.Contains(one["fields"]!.AsArray(), f => (string)f!["name"]! == "plan");
    }
}
