using System.Text.Json;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class FieldValueJsonTests
{
    public static TheoryData<string> Samples => new()
    {
        """{"t":1,"s":"Ann"}""",
        """{"t":2,"i":42}""",
        """{"t":3,"n":1.5}""",
        """{"t":3,"n":1}""",
        """{"t":4,"b":true}""",
        """{"t":5,"d":"2021-03-04T05:06:07.123Z"}""",
        """{"t":6,"l":["a","b"]}""",
        """{"t":7,"ms":{"a":"x","b":"y"}}""",
        """{"t":8,"mi":{"a":1},"kt":{"a":3}}""",
        """{"t":9,"mt":{"a":"2020-01-01T00:00:00Z"}}""",
        """{"t":10}""",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_exactly(string json)
    {
        var value = FieldValue.FromJson(json);
        Assert.Equal(json, value.ToJson());
        Assert.Equal(value, FieldValue.FromJson(value.ToJson()));
    }

    [Fact]
    public void A_double_that_looks_integral_comes_back_as_a_double()
    {
        var value = FieldValue.Create(Value.FromDouble(2.0), 1);
        Assert.Equal(ValueKind.Double, FieldValue.FromJson(value.ToJson()).Value.Kind);
    }

    [Fact]
    public void Works_through_the_default_serializer_inside_a_profile()
    {
        var profile = new Dictionary<string, FieldValue>
        {
            ["name"] = FieldValue.Create(Value.FromString("Ann"), 1),
            ["tags"] = FieldValue.Create(Value.FromList(["a"]), 2),
        };
        var json = JsonSerializer.Serialize(profile);
        var back = JsonSerializer.Deserialize<Dictionary<string, FieldValue>>(json)!;
        Assert.Equal(profile, back);
    }

    [Fact]
    public void Renders_plain_json_for_the_api()
    {
        Assert.Equal("\"Ann\"", FieldValue.Create(Value.FromString("Ann"), 1).ToJsonNode()!.ToJsonString());
        Assert.Equal("[\"a\",\"b\"]", FieldValue.Create(Value.FromList(["a", "b"]), 1).ToJsonNode()!.ToJsonString());
        Assert.Equal("{\"k\":3}", FieldValue.Create(Value.FromIntMap([KeyValuePair.Create("k", 3L)]), 1).ToJsonNode()!.ToJsonString());
        Assert.Equal("\"2020-01-01T00:00:00Z\"", Value.FromDate(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToJsonNode()!.ToJsonString());
        Assert.Null(Value.Null.ToJsonNode());
    }
}
