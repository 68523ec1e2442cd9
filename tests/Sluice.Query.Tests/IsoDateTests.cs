using System.Globalization;
using Sluice.Query.Lql.Functions;

namespace Sluice.Query.Tests;

/// <summary>The hand reader of ISO dates gives what the format table gives, wherever it answers at all.</summary>
public class IsoDateTests
{
    public static TheoryData<string> Accepted => new()
    {
        "2025-06-24T02:56:57.000Z",
        "2025-06-24T02:56:57Z",
        "2025-06-24T02:56:57",
        "2025-06-24T02:56:57.5",
        "2025-06-24T23:59:59.9999999Z",
        "1987-08-08",
        "2024-02-29",
        "0001-01-01",
        "9999-12-31T23:59:59.9999999Z",
        "2021-03-04T05:06:07.1234567Z",
        "2000-01-01T00:00:00.1Z",
    };

    public static TheoryData<string> LeftToTheTable => new()
    {
        "2025-06-24T02:56:57+02:00",
        "2025-06-24T02:56:57.12345678Z",
        "2025-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-06-31",
        "0000-01-01",
        "2025-06-24T24:00:00Z",
        "2025-06-24T02:60:00Z",
        "2025-06-24T02:56:60Z",
        "2025-06-24T02:56",
        "2025-06-24 02:56:57",
        "2025-06-24T02:56:57.Z",
        "2025-06-24T02:56:57z",
        "2025-6-24",
        "2025-06-24T02:56:57ZZ",
        "2025-06-24x",
        "20250624",
        "2025/06/24",
        "２０２５-06-24",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void An_accepted_date_is_the_instant_the_format_table_reads(string text)
    {
        Assert.True(IsoDate.TryParse(text, out var fast));
        Assert.True(DateTimeOffset.TryParseExact(
            text, DateFormats.All, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var table));
        Assert.Equal(table.UtcTicks, fast.UtcTicks);
        Assert.Equal(TimeSpan.Zero, fast.Offset);
        Assert.Equal(table.UtcTicks, DateParser.Parse(text)!.Value.UtcTicks);
    }

    [Theory]
    [MemberData(nameof(LeftToTheTable))]
    public void Other_shapes_are_left_to_the_format_table(string text) => Assert.False(IsoDate.TryParse(text, out _));
}
