using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.BrazeSimulator.Tests;

public sealed class SegmentExportTests
{
    private static readonly string[] Header =
    [
        "Braze ID", "user_id", "email", "first_name", "last_name", "phone_number", "country", "city", "language", "timezone",
        "gender", "date_of_birth", "created_at", "first_session", "last_session", "session_count", "last_app_version_used",
        "devices", "unsubscribed_from_emails_at", "opted_into_push_at", "unsubscribed_from_push_at", "random_bucket",
        "in_app_purchase_total", "user_aliases",
    ];

    [Fact]
    public async Task The_all_segment_exports_every_user_in_brazes_user_data_columns_with_rfc_4180_quoting()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new
                {
                    external_id = "u1", email = "ann@example.com", first_name = "Zoë", last_name = "Smith, Jr.", phone = "+15551234567",
                    country = "US", home_city = "Washington, D.C.", language = "en", time_zone = "America/New_York", gender = "F",
                    dob = "1982-01-01",
                },
                new { external_id = "u2", first_name = "Say \"hi\"", last_name = "Line\nBreak" },
            },
        });
        using var response = await sim.Client.GetAsync("sim/segments/all/export.csv", SimFixture.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync(SimFixture.Ct);
        Assert.Contains("\"Smith, Jr.\"", text, StringComparison.Ordinal);
        Assert.Contains("\"Say \"\"hi\"\"\"", text, StringComparison.Ordinal);

        var rows = CsvReading.Parse(text);
        Assert.Equal(Header, rows[0]);
        Assert.Equal(3, rows.Count);
        var ann = rows[1].Zip(Header).ToDictionary(p => p.Second, p => p.First);
        Assert.Equal((string?)(await sim.UserAsync("u1"))!["braze_id"], ann["Braze ID"]);
        Assert.Equal("u1", ann["user_id"]);
        Assert.Equal("Zoë", ann["first_name"]);
        Assert.Equal("Smith, Jr.", ann["last_name"]);
        Assert.Equal("+15551234567", ann["phone_number"]);
        Assert.Equal("Washington, D.C.", ann["city"]);
        Assert.Equal("America/New_York", ann["timezone"]);
        Assert.Equal("1982-01-01", ann["date_of_birth"]);
        Assert.Equal("2025-03-01T12:00:01.000Z", ann["created_at"]);
        Assert.InRange(int.Parse(ann["random_bucket"], System.Globalization.CultureInfo.InvariantCulture), 0, 9999);
        Assert.Equal("Line\nBreak", rows[2][4]);
        Assert.Equal("", rows[2][2]);
    }

    [Fact]
    public async Task A_segment_is_a_filter_and_custom_attributes_can_be_added_as_columns()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new
        {
            attributes = new object[]
            {
                new { external_id = "in", lytics_segments = new[] { "vip", "all" }, plan = "gold" },
                new { external_id = "out", lytics_segments = new[] { "all" } },
            },
        });
        using var define = await sim.Client.PostAsJsonAsync("sim/segments", new JsonObject { ["name"] = "vips", ["attribute"] = "lytics_segments", ["contains"] = "vip" }, SimFixture.Ct);
        Assert.Equal(HttpStatusCode.Created, define.StatusCode);

        var rows = CsvReading.Parse(await sim.Client.GetStringAsync("sim/segments/vips/export.csv?custom=lytics_segments,plan", SimFixture.Ct));
        Assert.Equal(["lytics_segments", "plan"], rows[0][^2..]);
        Assert.Equal(2, rows.Count);
        Assert.Equal("in", rows[1][1]);
        Assert.Equal("""["vip","all"]""", rows[1][^2]);
        Assert.Equal("gold", rows[1][^1]);

        using var unknown = await sim.Client.GetAsync("sim/segments/nope/export.csv", SimFixture.Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_email_addresses_export_lists_only_users_with_an_email()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.TrackOkAsync(new { attributes = new object[] { new { external_id = "e", email = "e@example.com" }, new { external_id = "n" } } });
        var rows = CsvReading.Parse(await sim.Client.GetStringAsync("sim/segments/all/export.csv?type=emails", SimFixture.Ct));
        Assert.Equal(["user_id", "first_name", "last_name", "email", "unsubscribed_from_emails_at", "opted_in_to_emails_at", "user_aliases"], rows[0]);
        Assert.Equal(2, rows.Count);
        Assert.Equal("e@example.com", rows[1][3]);
    }

    [Fact]
    public async Task The_old_appboy_id_header_is_a_switch()
    {
        await using var sim = await SimFixture.StartAsync(o => o.ExportIdHeader = "Appboy ID");
        var rows = CsvReading.Parse(await sim.Client.GetStringAsync("sim/segments/all/export.csv", SimFixture.Ct));
        Assert.Equal("Appboy ID", rows[0][0]);
    }
}
