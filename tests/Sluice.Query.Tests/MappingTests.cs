using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class MappingTests
{
    private const string Lql3 = "SELECT email(email) AS email, uid AS user_id, name FROM app INTO user BY email OR user_id";

    [Fact]
    public void Identities_are_normalised_and_listed_per_BY_field()
    {
        var record = Lql.Map(Lql3, """{"email":" Ann@X.COM ","uid":"  u1 ","name":"Ann"}""");
        Assert.Equal(
            [KeyValuePair.Create("email", "ann@x.com"), KeyValuePair.Create("user_id", "u1")],
            record.Identities);
        Assert.Equal(["email", "user_id", "name"], record.Fields.Select(f => f.Name));
    }

    [Fact]
    public void An_array_identity_yields_one_identity_per_item()
    {
        var record = Lql.Map("SELECT ids AS user_id KIND []string FROM app INTO user BY user_id", """{"ids":["a","b",""]}""");
        Assert.Equal([KeyValuePair.Create("user_id", "a"), KeyValuePair.Create("user_id", "b")], record.Identities);
    }

    [Fact]
    public void A_record_without_identity_is_still_mapped_with_no_identities()
    {
        var record = Lql.Map(Lql3, """{"email":"junk","name":"Ann"}""");
        Assert.Empty(record.Identities);
        Assert.Equal("name", Assert.Single(record.Fields).Name);
    }

    [Fact]
    public void Empty_and_null_values_write_nothing()
    {
        var record = Lql.Map(Lql3, """{"uid":"u","name":"","email":null}""");
        Assert.Equal(["user_id"], record.Fields.Select(f => f.Name));
        Assert.Empty(record.Errors);
    }

    [Fact]
    public void Identity_values_over_1024_bytes_are_rejected()
    {
        var longId = new string('é', 513); // 1,026 UTF-8 bytes but only 513 chars
        var record = Lql.Map(Lql3, $$"""{"uid":"{{longId}}","email":"a@b.co"}""");
        Assert.Equal([KeyValuePair.Create("email", "a@b.co")], record.Identities);
        var error = Assert.Single(record.Errors);
        Assert.Equal("user_id", error.Field);
        Assert.Contains("1026 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Fields, f => f.Name == "user_id");
    }

    [Fact]
    public void Identity_of_exactly_1024_bytes_is_accepted()
    {
        var record = Lql.Map(Lql3, $$"""{"uid":"{{new string('x', 1024)}}"}""");
        Assert.Single(record.Identities);
    }

    [Fact]
    public void Aggregate_columns_carry_their_merge_operator()
    {
        var record = Lql.Map(
            "SELECT id, set(tag) AS tags, count(id) AS visits, sum(amt) AS spent, x AS y MERGEOP OLDEST FROM s INTO user BY id",
            """{"id":"1","tag":"a","amt":"2.5","x":"v"}""");
        Assert.Equal(
            [MergeOp.Latest, MergeOp.Set, MergeOp.Count, MergeOp.Sum, MergeOp.Oldest],
            record.Fields.Select(f => f.MergeOp));
        Assert.Equal(1, record.Fields[2].Value.AsLong());
    }

    [Fact]
    public void Mapped_field_becomes_a_field_value_at_the_event_time()
    {
        var record = Lql.Map("SELECT id, m KIND map[string]int FROM s INTO user BY id", """{"id":"1","m":{"a":1,"b":2}}""");
        var state = record.Fields[1].ToFieldValue(1000);
        Assert.Equal(1000, state.EventTime);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1000, ["b"] = 1000 }, state.KeyTimes);
    }

    [Fact]
    public void Merge_op_lookup_by_field()
    {
        var mapping = CompiledMapping.Compile("SELECT id, set(t) AS tags FROM s INTO user BY id");
        Assert.Equal(MergeOp.Set, mapping.MergeOpFor("tags"));
        Assert.Null(mapping.MergeOpFor("nope"));
    }

    [Fact]
    public void Mapping_tester_renders_a_flat_record()
    {
        var mapping = CompiledMapping.Compile(BuiltInMappings.BrazeUsers);
        var result = MappingTester.Test(mapping, [
            KeyValuePair.Create("email", "A@B.COM"),
            KeyValuePair.Create("phone_number", "555 123 1234"),
            KeyValuePair.Create("date_of_birth", "bad"),
        ]);
        var json = result.ToJson().ToJsonString();
        Assert.Equal(
            """{"included":true,"fields":{"email":"a@b.com","phone_number":"\u002B15551231234"},"identities":[{"field":"email","value":"a@b.com"}],"errors":[{"field":"date_of_birth","message":"cannot convert \u0022bad\u0022 to date"}]}""",
            json);
    }

    [Fact]
    public void Mapping_tester_turns_repeated_keys_into_arrays()
    {
        var mapping = CompiledMapping.Compile("SELECT id, set(tag) AS tags FROM s INTO user BY id");
        var result = MappingTester.Test(mapping, [KeyValuePair.Create("id", "1"), KeyValuePair.Create("tag", "b"), KeyValuePair.Create("tag", "a")]);
        Assert.Equal("""["b","a"]""", result.Fields["tags"]!.ToJsonString());
    }
}
