using System.Text.Json;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.Tests.FilterQl;

public class CompiledFilterTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fields_lists_the_top_level_fields_read_including_through_includes_and_functions()
    {
        var resolver = AudienceResolver.FromStatements([FilterQlParser.Parse("FILTER city == \"Paris\" ALIAS parisians")]);
        var filter = FilterCompiler.Compile(
            "FILTER AND (EXISTS email, tolower(name) == \"x\", hits.foo > 1, `last.event`.`has.period` < \"now-1d\", INCLUDE parisians)",
            resolver);
        Assert.Equal(
            ["city", "email", "hits", "hits.foo", "last.event", "name"],
            filter.Fields.Order(StringComparer.Ordinal));
        Assert.Equal(["parisians"], filter.Includes);
    }

    [Fact]
    public void A_dotted_name_lists_every_field_it_may_be_read_from()
    {
        var filter = FilterCompiler.Compile("FILTER a.b.c == 1");
        Assert.Equal(["a", "a.b", "a.b.c"], filter.Fields.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FILTER created > \"now-7d\"", true)]
    [InlineData("FILTER todate(\"now\") > created", true)]
    [InlineData("FILTER timewindow(events, 1, 7)", true)]
    [InlineData("FILTER created > \"2024-01-01\"", false)]
    [InlineData("FILTER name == \"nowhere\"", false)]
    public void Time_relative_filters_are_marked(string text, bool expected)
    {
        Assert.Equal(expected, FilterCompiler.Compile(text).IsTimeRelative);
    }

    [Fact]
    public void Includes_that_are_time_relative_make_the_including_filter_time_relative()
    {
        var resolver = AudienceResolver.FromStatements([FilterQlParser.Parse("FILTER _created > \"now-7d\" ALIAS new")]);
        var filter = FilterCompiler.Compile("FILTER AND (EXISTS email, INCLUDE new)", resolver);
        Assert.True(filter.IsTimeRelative);
        var entity = FilterEntity.FromJson("""{"email":"a@b.co","_created":"2024-06-10T08:30:00Z"}""");
        Assert.True(filter.Matches(entity, Now));
        Assert.Equal(new DateTimeOffset(2024, 6, 17, 8, 30, 0, TimeSpan.Zero), filter.NextFlip(entity, Now));
        Assert.False(filter.Matches(entity, new DateTimeOffset(2024, 6, 17, 8, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Stored_field_states_are_read_through_their_current_value()
    {
        var fields = new SortedList<string, FieldValue>(StringComparer.Ordinal)
        {
            ["visits"] = FieldValue.Create(Value.FromLong(7), 1_700_000_000_000),
            ["tags"] = FieldValue.Create(Value.FromList(["vip", "beta"]), 1_700_000_000_000),
            ["_created"] = FieldValue.Create(Value.FromDate(Now.AddDays(-2)), 1_700_000_000_000),
        };
        var filter = FilterCompiler.Compile("FILTER AND (visits > 5, tags IN (\"vip\"), _created > \"now-7d\")");
        Assert.True(filter.Matches(FilterEntity.FromFieldValues(fields), Now));
        Assert.Equal(Now.AddDays(5), filter.NextFlip(FilterEntity.FromFieldValues(fields), Now));
    }

    [Fact]
    public void Json_entities_become_profile_shaped_values()
    {
        var values = JsonEntityReader.Read(JsonDocument.Parse("""
            {"s":"text","d":"2024-06-15T12:00:00Z","day":"2024-06-15","n":5,"f":1.5,"b":true,"z":null,
             "l":["a",1,true],"ints":{"a":1},"times":{"a":"2024-06-15T12:00:00Z"},"mixed":{"a":1,"b":"x"}}
            """).RootElement);
        Assert.Equal(ValueKind.String, values["s"].Kind);
        Assert.Equal(ValueKind.Date, values["d"].Kind);
        Assert.Equal(ValueKind.String, values["day"].Kind);
        Assert.Equal(ValueKind.Long, values["n"].Kind);
        Assert.Equal(ValueKind.Double, values["f"].Kind);
        Assert.Equal(ValueKind.Bool, values["b"].Kind);
        Assert.False(values.ContainsKey("z"));
        Assert.Equal(["a", "1", "true"], values["l"].AsList());
        Assert.Equal(ValueKind.IntMap, values["ints"].Kind);
        Assert.Equal(ValueKind.TimeMap, values["times"].Kind);
        Assert.Equal("1", values["mixed"].AsStringMap()["a"]);
    }

    [Fact]
    public void TryCompile_reports_the_problem_with_its_position_instead_of_throwing()
    {
        Assert.False(FilterCompiler.TryCompile("FILTER AND (\n  x == 1\n  nofunc(y)\n)", null, out var filter, out var error));
        Assert.Null(filter);
        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Equal("line 3, column 3: unknown function \"nofunc\"", error.Message);

        Assert.True(FilterCompiler.TryCompile("FILTER x == 1", null, out filter, out error));
        Assert.Null(error);
        Assert.Equal(["x"], filter.Fields);
    }

    [Fact]
    public void A_json_entity_that_is_not_an_object_is_refused()
    {
        Assert.Throws<ArgumentException>(() => FilterEntity.FromJson("[1, 2]"));
    }

    [Fact]
    public void Evaluate_tells_unknown_apart_from_false_and_Matches_treats_it_as_no_match()
    {
        var filter = FilterCompiler.Compile("FILTER name > \"a\"");
        var entity = FilterEntity.FromJson("""{"name":"Yoda"}""");
        Assert.Null(filter.Evaluate(entity, Now));
        Assert.False(filter.Matches(entity, Now));
    }

    [Fact]
    public void One_compiled_filter_evaluates_on_many_threads_at_once()
    {
        var filter = FilterCompiler.Compile("FILTER AND (visits > 5, tags IN (\"vip\"), tolower(name) LIKE \"a*\")");
        var results = new bool[10_000];
        Parallel.For(0, results.Length, i =>
        {
            var entity = FilterEntity.FromValues(new Dictionary<string, Value>
            {
                ["visits"] = Value.FromLong(i % 10),
                ["tags"] = Value.FromList(i % 2 == 0 ? ["vip"] : ["x"]),
                ["name"] = Value.FromString(i % 3 == 0 ? "Ann" : "Bob"),
            });
            results[i] = filter.Matches(entity, Now);
        });
        Assert.Equal(Enumerable.Range(0, 10_000).Count(i => i % 10 > 5 && i % 2 == 0 && i % 3 == 0), results.Count(r => r));
    }
}
