using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Query.Tests.FilterQl;

public class RoundTripTests
{
    [Fact]
    public void Every_table_statement_formats_to_text_that_parses_and_evaluates_the_same()
    {
        foreach (var c in ConformanceTable.Load().Where(c => !c.Expectation.StartsWith("error", StringComparison.Ordinal)))
        {
            var resolver = AudienceResolver.FromStatements(c.Audiences.Select(a => FilterQlParser.Parse(a)));
            var statement = FilterQlParser.Parse(c.Statement);
            var formatted = statement.ToString();
            var again = FilterQlParser.Parse(formatted);
            Assert.Equal(formatted, again.ToString());
            Assert.Equal(statement.Alias, again.Alias);
            Assert.Equal(statement.From, again.From);

            var entity = FilterEntity.FromJson(c.Entity);
            var expected = FilterCompiler.Compile(statement, resolver).Evaluate(entity, c.Now);
            Assert.True(expected == FilterCompiler.Compile(again, resolver).Evaluate(entity, c.Now), $"{c.Where}: {formatted}");
        }
    }

    [Fact]
    public void The_select_form_formats_as_the_filter_form()
    {
        var statement = FilterQlParser.Parse("SELECT * FROM user WHERE name == \"Yoda\" ALIAS yoda");
        Assert.True(statement.IsSelect);
        Assert.Equal("FILTER name == \"Yoda\" ALIAS yoda", statement.ToString());
    }

    [Fact]
    public void Clauses_are_kept_on_the_statement()
    {
        var statement = FilterQlParser.Parse(
            "-- note\nFILTER score > 0 FROM accounts LIMIT 10 WITH name = \"Pony\", public = false, n = -2 ALIAS With_Attributes");
        Assert.Equal("accounts", statement.From);
        Assert.Equal(10, statement.Limit);
        Assert.Equal("with_attributes", statement.Alias);
        Assert.Equal("Pony", statement.With["NAME"].AsString());
        Assert.False(statement.With["public"].AsBool());
        Assert.Equal(-2, statement.With["n"].AsLong());
        Assert.Equal("FILTER score > 0 FROM accounts LIMIT 10 WITH name = \"Pony\", public = false, n = -2 ALIAS with_attributes", statement.ToString());
    }
}
