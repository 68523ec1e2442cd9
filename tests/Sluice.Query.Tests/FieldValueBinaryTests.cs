using System.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class FieldValueBinaryTests
{
    [Theory]
    [MemberData(nameof(FieldValueJsonTests.Samples), MemberType = typeof(FieldValueJsonTests))]
    public void Round_trips_every_kind_exactly(string json)
    {
        var value = FieldValue.FromJson(json);
        var back = RoundTrip(value);
        Assert.Equal(value, back);
        Assert.Equal(value.Value.Kind, back.Value.Kind);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void Values_follow_each_other_in_one_stream()
    {
        var values = new[]
        {
            FieldValue.Create(Value.FromString("São Paulo"), -5),
            FieldValue.Create(Value.FromLong(long.MinValue), long.MaxValue),
            FieldValue.Create(Value.FromDouble(-0.25), 0),
        };
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var v in values) FieldValueBinary.Write(w, v);
        }
        buffer.Position = 0;
        using var r = new BinaryReader(buffer);
        Assert.Equal(values, values.Select(_ => FieldValueBinary.Read(r)));
        Assert.Equal(buffer.Length, buffer.Position);
    }

    [Fact]
    public void An_unknown_kind_is_refused()
    {
        using var r = new BinaryReader(new MemoryStream([1, 200]));
        Assert.Throws<InvalidDataException>(() => FieldValueBinary.Read(r));
    }

    private static FieldValue RoundTrip(FieldValue value)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) FieldValueBinary.Write(w, value);
        buffer.Position = 0;
        using var r = new BinaryReader(buffer);
        return FieldValueBinary.Read(r);
    }
}
