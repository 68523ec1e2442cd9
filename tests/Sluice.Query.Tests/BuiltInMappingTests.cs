using System.Text.Json;
using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class BuiltInMappingTests
{
    // The example body of a Braze webhook campaign posting to a CDP.
    private const string WebhookBody = """
        {
          "city": "AnyTown",
          "country": "United States",
          "first_name": "John",
          "gender": "male",
          "language": "English",
          "last_name": "Smith",
          "date_of_birth": "19820101",
          "phone_number": "5551231234",
          "time_zone": "GMT+7",
          "twitter_handle": "johnsmith",
          "email": "john.smith@email.com",
          "braze_id": "xxxxxx"
        }
        """;

    private static Dictionary<string, Value> Fields(MappedRecord record) =>
        record.Fields.ToDictionary(f => f.Name, f => f.Value);

    [Fact]
    public void Braze_users_maps_every_field_of_the_webhook_body()
    {
        var mapping = CompiledMapping.Compile(BuiltInMappings.BrazeUsers);
        using var doc = JsonDocument.Parse(WebhookBody);
        var record = mapping.Map(doc.RootElement);

        Assert.Equal("braze_users", mapping.Alias);
        Assert.Equal(["email", "braze_id", "user_id"], mapping.IdentityFields);
        Assert.Empty(record.Errors);
        Assert.Equal(
            [KeyValuePair.Create("email", "john.smith@email.com"), KeyValuePair.Create("braze_id", "xxxxxx")],
            record.Identities);
        var fields = Fields(record);
        Assert.Equal(12, fields.Count);
        Assert.Equal("AnyTown", fields["city"].ToString());
        Assert.Equal("United States", fields["country"].ToString());
        Assert.Equal("John", fields["first_name"].ToString());
        Assert.Equal("Smith", fields["last_name"].ToString());
        Assert.Equal("male", fields["gender"].ToString());
        Assert.Equal("English", fields["language"].ToString());
        Assert.Equal(new DateTimeOffset(1982, 1, 1, 0, 0, 0, TimeSpan.Zero), fields["date_of_birth"].AsDate());
        Assert.Equal("+15551231234", fields["phone_number"].ToString());
        Assert.Equal("GMT+7", fields["time_zone"].ToString());
        Assert.Equal("johnsmith", fields["twitter_handle"].ToString());
        Assert.Equal("john.smith@email.com", fields["email"].ToString());
        Assert.Equal("xxxxxx", fields["braze_id"].ToString());
        Assert.All(record.Fields, f => Assert.Equal(MergeOp.Latest, f.MergeOp));
    }

    [Fact]
    public void Braze_users_takes_the_external_id_as_user_id()
    {
        var record = Lql.Map(BuiltInMappings.BrazeUsers, """{"external_id":"u-1","email":"Not-An-Email"}""");
        Assert.Equal([KeyValuePair.Create("user_id", "u-1")], record.Identities);
    }

    [Fact]
    public void Braze_segment_export_maps_a_csv_row()
    {
        var row = new Dictionary<string, string>
        {
            ["Braze ID"] = "5f1e2d3c4b5a69788796a5b4",
            ["user_id"] = "ext-123",
            ["email"] = " Jane.Doe@Example.com",
            ["first_name"] = "Jane",
            ["last_name"] = "Doe",
            ["phone_number"] = "+44 20 7946 0958",
            ["country"] = "GB",
            ["city"] = "London",
            ["language"] = "en",
            ["timezone"] = "Europe/London",
            ["gender"] = "F",
            ["date_of_birth"] = "1990-07-15",
            ["created_at"] = "2019-02-03T04:05:06.000Z",
            ["first_session"] = "2019-02-03T04:10:00.000Z",
            ["last_session"] = "2024-05-06T07:08:09.000Z",
            ["session_count"] = "57",
            ["last_app_version_used"] = "3.2.1",
            ["random_bucket"] = "4821",
            ["in_app_purchase_total"] = "19.98",
            ["unsubscribed_from_emails_at"] = "",
            ["opted_into_push_at"] = "2020-01-01 10:00:00",
            ["unsubscribed_from_push_at"] = "",
        };
        var mapping = CompiledMapping.Compile(BuiltInMappings.BrazeSegmentExport);
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(row));
        var record = mapping.Map(doc.RootElement);

        Assert.Equal("braze_segment_export", mapping.Alias);
        Assert.Empty(record.Errors);
        Assert.Equal(
            [
                KeyValuePair.Create("user_id", "ext-123"),
                KeyValuePair.Create("braze_id", "5f1e2d3c4b5a69788796a5b4"),
                KeyValuePair.Create("email", "jane.doe@example.com"),
            ],
            record.Identities);
        var fields = Fields(record);
        Assert.Equal("ext-123", fields["user_id"].ToString());
        Assert.Equal("5f1e2d3c4b5a69788796a5b4", fields["braze_id"].ToString());
        Assert.Equal("jane.doe@example.com", fields["email"].ToString());
        Assert.Equal("Jane", fields["first_name"].ToString());
        Assert.Equal("Doe", fields["last_name"].ToString());
        Assert.Equal("+442079460958", fields["phone_number"].ToString());
        Assert.Equal("GB", fields["country"].ToString());
        Assert.Equal("London", fields["city"].ToString());
        Assert.Equal("en", fields["language"].ToString());
        Assert.Equal("Europe/London", fields["time_zone"].ToString());
        Assert.Equal("F", fields["gender"].ToString());
        Assert.Equal("1990-07-15T00:00:00Z", fields["date_of_birth"].ToString());
        Assert.Equal("2019-02-03T04:05:06Z", fields["created_at"].ToString());
        Assert.Equal("2019-02-03T04:10:00Z", fields["first_session"].ToString());
        Assert.Equal("2024-05-06T07:08:09Z", fields["last_session"].ToString());
        Assert.Equal(57, fields["session_count"].AsLong());
        Assert.Equal("3.2.1", fields["last_app_version_used"].ToString());
        Assert.Equal(4821, fields["random_bucket"].AsLong());
        Assert.Equal(19.98, fields["in_app_purchase_total"].AsDouble());
        Assert.Equal("2020-01-01T10:00:00Z", fields["opted_into_push_at"].ToString());
        Assert.False(fields.ContainsKey("unsubscribed_from_emails_at"));
        Assert.False(fields.ContainsKey("unsubscribed_from_push_at"));
        Assert.Equal(20, fields.Count);

        var ops = record.Fields.ToDictionary(f => f.Name, f => f.MergeOp);
        Assert.Equal((MergeOp.Min, MergeOp.Min, MergeOp.Max), (ops["created_at"], ops["first_session"], ops["last_session"]));
    }

    [Fact]
    public void Braze_segment_export_reads_the_older_appboy_id_column()
    {
        var record = Lql.Map(BuiltInMappings.BrazeSegmentExport, """{"Appboy ID":"abc","user_id":""}""");
        Assert.Equal([KeyValuePair.Create("braze_id", "abc")], record.Identities);
    }

    [Fact]
    public void Every_built_in_mapping_compiles_under_its_alias()
    {
        foreach (var (alias, lql) in BuiltInMappings.All)
        {
            Assert.Equal(alias, CompiledMapping.Compile(lql).Alias);
        }
    }
}
