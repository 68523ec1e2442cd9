using System.Text;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.Tests.FilterQl;

public class LimitTests
{
    private static readonly ParseLimits Unbounded = new() { MaxBytes = int.MaxValue };
    private static readonly DateTimeOffset Now = new(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ten_thousand_nested_parentheses_are_an_error_at_the_first_paren_past_the_limit()
    {
        var text = "FILTER " + new string('(', 10_000) + "x == 1" + new string(')', 10_000);
        var error = Assert.Throws<FilterQlException>(() => FilterQlParser.Parse(text));
        Assert.Equal((1, 8 + 100), (error.Line, error.Column));
        Assert.Contains("deeper than 100", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "NOT ", "", "x == 1")]
    [InlineData("", "AND (", ")", "x == 1")]
    [InlineData("", "len(", ")", "x")]
    [InlineData("x IN ", "[", "]", "1")]
    public void Ten_thousand_nested_levels_of_any_kind_are_an_error_not_a_crash(string prefix, string open, string close, string inner)
    {
        var sb = new StringBuilder("FILTER ").Append(prefix);
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append(open);
        }

        sb.Append(inner);
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append(close);
        }

        if (open == "len(")
        {
            sb.Append(" > 1");
        }

        var error = Assert.Throws<FilterQlException>(() => FilterQlParser.Parse(sb.ToString(), Unbounded));
        Assert.Contains("deeper than 100", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses_compiles_and_evaluates()
    {
        var text = "FILTER " + new string('(', 100) + "x == 1" + new string(')', 100);
        var filter = FilterCompiler.Compile(text);
        Assert.True(filter.Matches(Entity(("x", Value.FromLong(1))), Now));
    }

    [Theory]
    [InlineData(" AND ", true)]
    [InlineData(" OR ", true)]
    public void Chains_of_twenty_thousand_infix_terms_parse_compile_and_evaluate(string joiner, bool expected)
    {
        var terms = Enumerable.Range(0, 20_000).Select(i => $"f{i % 50} >= {i % 50}");
        var text = "FILTER " + string.Join(joiner, terms);
        var statement = FilterQlParser.Parse(text, Unbounded);
        var node = Assert.IsType<LogicalNode>(statement.Filter);
        Assert.Equal(20_000, node.Operands.Count);

        var filter = FilterCompiler.Compile(statement);
        var entity = Entity(Enumerable.Range(0, 50).Select(i => ($"f{i}", Value.FromLong(i))).ToArray());
        Assert.Equal(expected, filter.Matches(entity, Now));
        Assert.Equal(50, filter.Fields.Count);
    }

    [Fact]
    public void Lists_of_twenty_thousand_conditions_parse_compile_and_evaluate_within_the_size_limit()
    {
        var text = "FILTER OR (" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => i == 19_999 ? "x" : "y")) + ")";
        Assert.True(Encoding.UTF8.GetByteCount(text) < 64 * 1024);
        var filter = FilterCompiler.Compile(text);
        Assert.True(filter.Matches(Entity(("x", Value.True)), Now));
        Assert.False(filter.Matches(Entity(("x", Value.False)), Now));
    }

    [Fact]
    public void A_chain_formats_back_to_text_that_parses_to_the_same_width()
    {
        var text = "FILTER " + string.Join(" AND ", Enumerable.Range(0, 20_000).Select(i => $"f == {i}"));
        var statement = FilterQlParser.Parse(text, Unbounded);
        var again = FilterQlParser.Parse(statement.ToString(), Unbounded);
        Assert.Equal(20_000, Assert.IsType<LogicalNode>(again.Filter).Operands.Count);
    }

    [Fact]
    public void Statements_over_64_KB_are_refused_and_64_KB_is_accepted()
    {
        var prefix = "FILTER name == \"";
        var fits = prefix + new string('a', (64 * 1024) - prefix.Length - 1) + "\"";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(fits));
        FilterQlParser.Parse(fits);

        var tooLong = fits.Insert(prefix.Length, "a");
        var error = Assert.Throws<FilterQlException>(() => FilterQlParser.Parse(tooLong));
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("65536 bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_limit_counts_UTF8_bytes_not_characters()
    {
        var text = "FILTER name == \"" + new string('é', 40_000) + "\"";
        Assert.Throws<FilterQlException>(() => FilterQlParser.Parse(text));
    }

    [Fact]
    public void Includes_nested_deeper_than_one_hundred_audiences_are_an_error_at_the_include()
    {
        var audiences = Enumerable.Range(0, 101)
            .Select(i => FilterQlParser.Parse(i == 100 ? "FILTER x == 1 ALIAS a100" : $"FILTER INCLUDE a{i + 1} ALIAS a{i}"))
            .ToList();
        var resolver = AudienceResolver.FromStatements(audiences);

        var error = Assert.Throws<FilterQlException>(() => FilterCompiler.Compile("FILTER y == 1 OR INCLUDE a0", resolver));
        Assert.Equal((1, 18), (error.Line, error.Column));
        Assert.Contains("deeper than 100", error.Reason, StringComparison.Ordinal);

        var ok = FilterCompiler.Compile("FILTER INCLUDE a1", resolver);
        Assert.True(ok.Matches(Entity(("x", Value.FromLong(1))), Now));
        Assert.Equal(100, ok.Includes.Count);
    }

    [Fact]
    public void A_diamond_of_includes_is_not_a_cycle()
    {
        var resolver = AudienceResolver.FromStatements(
        [
            FilterQlParser.Parse("FILTER x == 1 ALIAS base"),
            FilterQlParser.Parse("FILTER INCLUDE base ALIAS left"),
            FilterQlParser.Parse("FILTER INCLUDE base ALIAS right"),
        ]);
        var filter = FilterCompiler.Compile("FILTER AND (INCLUDE left, INCLUDE right)", resolver);
        Assert.True(filter.Matches(Entity(("x", Value.FromLong(1))), Now));
        Assert.Equal(["base", "left", "right"], filter.Includes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Include_without_a_resolver_is_an_error_at_the_include()
    {
        var error = Assert.Throws<FilterQlException>(() => FilterCompiler.Compile("FILTER x == 1 AND INCLUDE other"));
        Assert.Equal((1, 19), (error.Line, error.Column));
    }

    private static IFilterEntity Entity(params (string Name, Value Value)[] fields) =>
        FilterEntity.FromValues(fields.ToDictionary(f => f.Name, f => f.Value));
}
