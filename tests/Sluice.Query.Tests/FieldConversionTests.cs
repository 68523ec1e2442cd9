using Sluice.Query.Lql;

namespace Sluice.Query.Tests;

/// <summary>
/// <c>todate</c>, <c>toint</c> and <c>tonumber</c> of a plain field read its text where it lies in the record; they must
/// write what the same conversion of a computed value writes (<c>oneof(x)</c> is <c>x</c>, computed).
/// </summary>
public class FieldConversionTests
{
    public static TheoryData<string> Records => new()
    {
        """{"x":"2025-06-24T02:56:57.000Z","id":"1"}""",
        """{"x":"1987-08-08","id":"1"}""",
        """{"x":"  2021-03-04 05:06:07 +03:00 ","id":"1"}""",
        """{"x":"03/04/2021","id":"1"}""",
        """{"x":"1700000000","id":"1"}""",
        """{"x":"1700000000.25","id":"1"}""",
        """{"x":"2021-03-04T05:06:07.123456789Z","id":"1"}""",
        """{"x":"2021-03-04T05:06:07\u002B02:00","id":"1"}""",
        """{"x":"\u0032021-03-04","id":"1"}""",
        """{"x":"350","id":"1"}""",
        """{"x":" -42 ","id":"1"}""",
        """{"x":"396.89","id":"1"}""",
        """{"x":"1e3","id":"1"}""",
        """{"x":"9223372036854775808","id":"1"}""",
        """{"x":"not a number","id":"1"}""",
        """{"x":"","id":"1"}""",
        """{"x":"   ","id":"1"}""",
        """{"x":"Zoë","id":"1"}""",
        """{"x":350,"id":"1"}""",
        """{"x":396.89,"id":"1"}""",
        """{"x":1700000000,"id":"1"}""",
        """{"x":true,"id":"1"}""",
        """{"x":["2021-03-04"],"id":"1"}""",
        """{"x":{"a":"1"},"id":"1"}""",
        """{"id":"1"}""",
        """{"x":null,"id":"1"}""",
        """{"x":"2021-03-04T05:06:07.1234567Z________________________________________________________________________________________________________________","id":"1"}""",
        """{"x":"12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345","id":"1"}""",
        """{"x":"1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678","id":"1"}""",
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void A_field_converted_in_place_writes_what_a_computed_value_writes(string json)
    {
        foreach (var function in new[] { "todate", "toint", "tonumber" })
        {
            var direct = Lql.Map($"SELECT {function}(x) AS out, id FROM s INTO user BY id", json);
            var computed = Lql.Map($"SELECT {function}(oneof(x)) AS out, id FROM s INTO user BY id", json);
            Assert.Equal(Describe(computed), Describe(direct));
        }
    }

    private static string Describe(MappedRecord record) =>
        string.Join("; ", record.Fields.Select(f => $"{f.Name}={f.Value.Kind}:{f.Value}")) + " | " + string.Join("; ", record.Errors.Select(e => $"{e.Field}: {e.Message}"));
}
