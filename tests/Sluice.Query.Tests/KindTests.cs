using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class KindTests
{
    [Theory]
    [InlineData("string", "42", "42")]
    [InlineData("string", "\"abc\"", "abc")]
    [InlineData("string", "true", "true")]
    [InlineData("string", "[\"only\"]", "only")]
    [InlineData("int", "\"42\"", "42")]
    [InlineData("int", "42.9", "42")]
    [InlineData("number", "\"4.25\"", "4.25")]
    [InlineData("number", "3", "3")]
    [InlineData("bool", "\"yes\"", "true")]
    [InlineData("bool", "\"F\"", "false")]
    [InlineData("bool", "1", "true")]
    [InlineData("bool", "false", "false")]
    [InlineData("date", "\"2020-01-02\"", "2020-01-02T00:00:00Z")]
    [InlineData("date", "1577923200", "2020-01-02T00:00:00Z")]
    [InlineData("[]string", "\"a\"", "a")]
    [InlineData("[]string", "[\"a\", 2]", "a\u001e2")]
    [InlineData("map[string]string", "{\"k\":\"v\",\"n\":1}", "k\u001fv\u001en\u001f1")]
    [InlineData("map[string]int", "{\"a\":\"1\",\"b\":2}", "a\u001f1\u001eb\u001f2")]
    [InlineData("map[string]time", "{\"a\":\"2020-01-02\"}", "a\u001f2020-01-02T00:00:00Z")]
    [InlineData("map[string]time", "{\"a\":1577923200}", "a\u001f2020-01-02T00:00:00Z")]
    public void Converts_to_the_kind(string kind, string jsonValue, string expected) =>
        Assert.Equal(expected, Lql.EvalText("x", $$"""{"id":"1","x":{{jsonValue}}}""", kind));

    [Theory]
    [InlineData("int", "\"abc\"", ValueKind.Long)]
    [InlineData("number", "\"1,5\"", ValueKind.Double)]
    [InlineData("bool", "\"maybe\"", ValueKind.Bool)]
    [InlineData("bool", "7", ValueKind.Bool)]
    [InlineData("date", "\"someday\"", ValueKind.Date)]
    [InlineData("string", "[\"a\",\"b\"]", ValueKind.String)]
    [InlineData("string", "{\"a\":\"b\"}", ValueKind.String)]
    [InlineData("[]string", "{\"a\":\"b\"}", ValueKind.StringList)]
    [InlineData("map[string]string", "\"flat\"", ValueKind.StringMap)]
    [InlineData("map[string]int", "{\"a\":\"x\"}", ValueKind.IntMap)]
    [InlineData("map[string]time", "{\"a\":\"never\"}", ValueKind.TimeMap)]
    public void Failed_conversion_skips_the_field_and_reports_it(string kind, string jsonValue, ValueKind _)
    {
        var record = Lql.Map($"SELECT x KIND {kind}, id FROM s INTO user BY id", $$"""{"id":"1","x":{{jsonValue}}}""");
        Assert.True(record.Included);
        Assert.DoesNotContain(record.Fields, f => f.Name == "x");
        var error = Assert.Single(record.Errors);
        Assert.Equal("x", error.Field);
        Assert.StartsWith("cannot convert", error.Message, StringComparison.Ordinal);
        // The rest of the record is still mapped.
        Assert.Contains(record.Fields, f => f.Name == "id");
    }

    [Fact]
    public void Converted_values_have_the_kind_value_type()
    {
        Assert.Equal(ValueKind.Long, Lql.Eval("x", """{"id":"1","x":"5"}""", "int")!.Value.Kind);
        Assert.Equal(ValueKind.Double, Lql.Eval("x", """{"id":"1","x":"5.5"}""", "number")!.Value.Kind);
        Assert.Equal(ValueKind.Date, Lql.Eval("x", """{"id":"1","x":"2020-01-01"}""", "date")!.Value.Kind);
        Assert.Equal(ValueKind.IntMap, Lql.Eval("x", """{"id":"1","x":{"a":1}}""", "map[string]int")!.Value.Kind);
    }
}
