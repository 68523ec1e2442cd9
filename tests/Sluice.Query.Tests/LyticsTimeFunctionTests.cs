using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

/// <summary>Lytics' time functions <c>seconds</c>, <c>strftime</c>, <c>todatein</c> and <c>maptime</c>, with their limits.</summary>
public class LyticsTimeFunctionTests
{
    [Theory]
    [InlineData("M10:30", 630)]
    [InlineData("M100:30", 6030)]
    [InlineData("00:30", 30)]
    [InlineData("30", 30)]
    [InlineData("1.5", 1.5)]
    [InlineData("2015/07/04", 1435968000)]
    [InlineData("2015-07-04T00:00:10Z", 1435968010)]
    public void Seconds_reads_durations_numbers_and_dates(string text, double expected) =>
        Assert.Equal(expected, Lql.Eval("seconds(x)", Lql.Record(text))!.Value.AsDouble());

    [Fact]
    public void Seconds_of_a_number_is_the_number_and_of_nonsense_or_a_zero_duration_nothing()
    {
        Assert.Equal(42, Lql.Eval("seconds(n)", """{"n":42,"id":"1"}""")!.Value.AsDouble());
        Assert.Null(Lql.Eval("seconds(x)", Lql.Record("soon")));
        Assert.Null(Lql.Eval("seconds(x)", Lql.Record("M0:00")));
        // Text longer than any time is not scanned.
        Assert.Null(Lql.Eval("seconds(x)", Lql.Record("1" + new string(' ', 200) + "0:30")));
    }

    [Theory]
    [InlineData("2015/07/04", "%B", "July")]
    [InlineData("2015/07/04", "%B:%d", "July:04")]
    [InlineData("1257894000", "%p", "PM")]
    [InlineData("2021-03-04T05:06:07Z", "%Y-%m-%d %H:%M:%S", "2021-03-04 05:06:07")]
    [InlineData("2021-03-04T17:06:07Z", "%a %A %b %I %j %y %%", "Thu Thursday Mar 05 063 21 %")]
    [InlineData("2021-03-04T05:06:07Z", "%s %w %Q", "1614834367 4 %Q")]
    public void Strftime_formats_with_python_directives_in_utc(string date, string format, string expected) =>
        Assert.Equal(expected, Lql.EvalText($"strftime(x, \"{format}\")", Lql.Record(date)));

    [Fact]
    public void Strftime_of_no_date_or_an_oversized_format_writes_nothing()
    {
        Assert.Null(Lql.Eval("strftime(x, \"%Y\")", Lql.Record("not a date")));
        Assert.Null(Lql.Eval($"strftime(x, \"{new string('Y', 300)}\")", Lql.Record("2021-03-04")));
    }

    [Theory]
    [InlineData("2021-07-04 10:00:00", "2021-07-04T17:00:00Z")] // PDT, UTC-7
    [InlineData("2021-01-04 10:00:00", "2021-01-04T18:00:00Z")] // PST, UTC-8
    [InlineData("2021-07-04", "2021-07-04T07:00:00Z")] // a bare date is midnight on the zone's clock
    [InlineData("2021-07-04T10:00:00Z", "2021-07-04T10:00:00Z")] // an offset is absolute already
    [InlineData("2021-07-04T10:00:00+02:00", "2021-07-04T08:00:00Z")]
    [InlineData("1625392800", "2021-07-04T10:00:00Z")] // so is a Unix time
    public void Todatein_reads_times_without_an_offset_on_the_zones_clock(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Lql.Eval("todatein(x, \"America/Los_Angeles\")", Lql.Record(text))!.Value.AsDate());

    [Fact]
    public void Todatein_refuses_an_unknown_zone_or_a_zone_from_the_record_when_the_mapping_is_compiled()
    {
        var unknown = Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile("SELECT todatein(x, \"Mars/Olympus\") AS t, id FROM s INTO user BY id"));
        Assert.Contains("Mars/Olympus", unknown.Message, StringComparison.Ordinal);
        Assert.Equal((1, 8), (unknown.Line, unknown.Column));
        Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile("SELECT todatein(x, zone) AS t, id FROM s INTO user BY id"));
        Assert.Null(Lql.Eval("todatein(x, \"Europe/Paris\")", Lql.Record("never")));
    }

    [Fact]
    public void Maptime_maps_the_lowercased_key_to_the_time()
    {
        var map = Lql.Eval("maptime(product, bought)", """{"product":"Shoes","bought":"2021-03-04T05:06:07Z","id":"1"}""")!.Value;
        Assert.Equal(ValueKind.TimeMap, map.Kind);
        Assert.Equal(new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero), Assert.Single(map.AsTimeMap(), e => e.Key == "shoes").Value);
        Assert.Null(Lql.Eval("maptime(product, bought)", """{"product":"Shoes","bought":"later","id":"1"}"""));
        Assert.Null(Lql.Eval("maptime(product, bought)", $$"""{"product":"{{new string('k', 2000)}}","bought":"2021-03-04","id":"1"}"""));
    }

    [Fact]
    public void Maptime_without_a_time_is_refused_naming_the_two_argument_form()
    {
        var e = Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile("SELECT maptime(product) AS seen, id FROM s INTO user BY id"));
        Assert.Contains("maptime(key, time_field)", e.Message, StringComparison.Ordinal);
    }
}
