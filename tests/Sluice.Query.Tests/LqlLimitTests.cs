using System.Text.Json;
using Sluice.Query.Lql;

namespace Sluice.Query.Tests;

/// <summary>
/// No LQL text can exhaust the stack: nesting beyond the limit is a syntax error with its position, and chains of
/// AND/OR of any length parse, compile and evaluate without recursing per term.
/// </summary>
public class LqlLimitTests
{
    private static string Column(string expression) => $"SELECT {expression} AS x, id AS id FROM s INTO user BY id";

    [Theory]
    [InlineData(10_000)]
    [InlineData(global::Sluice.Query.Lql.Syntax.Parser.MaxDepth + 1)]
    public void Parentheses_nested_past_the_limit_are_a_syntax_error_with_a_position(int depth)
    {
        var text = Column(new string('(', depth) + "a" + new string(')', depth));

        var e = Assert.Throws<QuerySyntaxException>(() => CompiledMapping.Compile(text));

        Assert.Contains("nested more than", e.Reason, StringComparison.Ordinal);
        Assert.Equal(1, e.Line);
        Assert.True(e.Column > 8);
    }

    [Fact]
    public void Nesting_up_to_the_limit_compiles_and_evaluates()
    {
        // One level is the column's own expression.
        var depth = global::Sluice.Query.Lql.Syntax.Parser.MaxDepth - 1;
        var mapping = CompiledMapping.Compile(Column(new string('(', depth) + "a" + new string(')', depth)));

        using var doc = JsonDocument.Parse("""{"id":"1","a":"deep"}""");
        Assert.Equal("deep", mapping.Map(doc.RootElement).Fields.Single(f => f.Name == "x").Value.AsString());
    }

    [Theory]
    [InlineData("NOT ", 20_000)]
    [InlineData("lower(", 20_000)]
    [InlineData("EXISTS (", 20_000)]
    public void Deep_prefixes_and_calls_are_refused_not_a_crash(string prefix, int count)
    {
        var closing = prefix.EndsWith('(') ? new string(')', count) : "";
        var text = $"SELECT id AS id FROM s INTO user BY id WHERE {string.Concat(Enumerable.Repeat(prefix, count))}a{closing}";

        var e = Assert.Throws<QuerySyntaxException>(() => CompiledMapping.Compile(text));

        Assert.Contains("nested more than", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AND", true)]
    [InlineData("OR", false)]
    public void A_where_chain_of_20000_terms_compiles_and_evaluates(string op, bool allTrue)
    {
        var terms = string.Join($" {op} ", Enumerable.Repeat("a = \"1\"", 19_999).Append(allTrue ? "a = \"1\"" : "a = \"2\""));
        var mapping = CompiledMapping.Compile($"SELECT id AS id FROM s INTO user BY id WHERE {terms}");

        using var doc = JsonDocument.Parse("""{"id":"1","a":"1"}""");
        Assert.True(mapping.Map(doc.RootElement).Included);
        using var other = JsonDocument.Parse("""{"id":"1","a":"3"}""");
        Assert.False(mapping.Map(other.RootElement).Included);
    }

    [Fact]
    public void Random_mixes_of_depth_and_width_either_compile_or_fail_with_a_query_error()
    {
        var random = new Random(8);
        string[] atoms = ["a", "\"s\"", "1", "lower(a)", "EXISTS a", "a IN (1, 2)", "a LIKE \"x*\""];
        string[] joins = [" AND ", " OR ", " = ", " != ", ", "];
        for (var run = 0; run < 2_000; run++)
        {
            var sb = new System.Text.StringBuilder();
            var open = 0;
            for (var i = random.Next(1, 400); i > 0; i--)
            {
                switch (random.Next(6))
                {
                    case 0: sb.Append('('); open++; break;
                    case 1: sb.Append("NOT "); break;
                    case 2 when open > 0: sb.Append(')'); open--; break;
                    case 3: sb.Append(joins[random.Next(joins.Length)]); break;
                    default: sb.Append(atoms[random.Next(atoms.Length)]); break;
                }
            }
            sb.Append(new string(')', open));
            var text = $"SELECT id AS id FROM s INTO user BY id WHERE {sb}";
            try
            {
                using var doc = JsonDocument.Parse("""{"id":"1","a":"x1"}""");
                CompiledMapping.Compile(text).Map(doc.RootElement);
            }
            catch (QueryException)
            {
                // A clear refusal is a good outcome; anything else fails the test.
            }
        }
    }
}
