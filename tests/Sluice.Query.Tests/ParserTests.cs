using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class ParserTests
{
    [Fact]
    public void Parses_a_full_mapping_with_every_column_modifier()
    {
        var mapping = CompiledMapping.Compile("""
            -- a comment line
            select email(EmailAddress) as email shortdesc "Email" longdesc "The address",
              `my field` AS mine KIND int MERGEOP oldest, -- trailing comment
              amt AS first_amount IF event == "checkout" KIND number MERGEOP MIN,
              set(event) AS all_events,
              user.id
            FROM default INTO user BY email OR `user.id`
            WHERE _bot = "f" OR NOT EXISTS _bot ALIAS my_query
            """);

        Assert.Equal("my_query", mapping.Alias);
        Assert.Equal("default", mapping.Stream);
        Assert.Equal("user", mapping.Table);
        Assert.Equal(["email", "user.id"], mapping.IdentityFields);
        Assert.Equal(
            ["email", "mine", "first_amount", "all_events", "user.id"],
            mapping.Fields.Select(f => f.Name));
        var email = mapping.Fields[0];
        Assert.Equal(("Email", "The address", true), (email.ShortDescription, email.LongDescription, email.IsIdentity));
        Assert.Equal((FieldKind.Int, MergeOp.Oldest), (mapping.Fields[1].Kind, mapping.Fields[1].MergeOp));
        Assert.Equal((FieldKind.Number, MergeOp.Min), (mapping.Fields[2].Kind, mapping.Fields[2].MergeOp));
        Assert.Equal((FieldKind.StringList, MergeOp.Set), (mapping.Fields[3].Kind, mapping.Fields[3].MergeOp));
        Assert.True(mapping.Fields[4].IsIdentity);
    }

    [Fact]
    public void Alias_defaults_to_the_stream_name()
    {
        var mapping = CompiledMapping.Compile("SELECT id FROM web INTO user BY id;");
        Assert.Equal("web", mapping.Alias);
    }

    [Fact]
    public void Backticked_parts_keep_their_dots()
    {
        var record = Lql.Map("SELECT `a.b`.`c` AS out, id FROM s INTO user BY id", """{"id":"1","a.b":{"c":"deep"}}""");
        Assert.Equal("deep", record.Fields.Single(f => f.Name == "out").Value.ToString());
    }

    [Fact]
    public void Dotted_paths_read_nested_objects_then_flat_keys()
    {
        Assert.Equal("n", Lql.EvalText("user.name", """{"id":"1","user":{"name":"n"}}"""));
        Assert.Equal("f", Lql.EvalText("user.name", """{"id":"1","user.name":"f"}"""));
    }

    [Fact]
    public void Modifiers_may_come_in_any_order()
    {
        var mapping = CompiledMapping.Compile("SELECT a AS x MERGEOP SUM KIND int IF b = 1 SHORTDESC \"s\", id FROM s INTO user BY id");
        Assert.Equal((FieldKind.Int, MergeOp.Sum, "s"), (mapping.Fields[0].Kind, mapping.Fields[0].MergeOp, mapping.Fields[0].ShortDescription));
    }

    [Fact]
    public void Kinds_with_brackets_parse()
    {
        var mapping = CompiledMapping.Compile(
            "SELECT a KIND []string, b KIND map[string]int, c KIND map[string]time, d KIND map[string]string, id FROM s INTO user BY id");
        Assert.Equal(
            [FieldKind.StringList, FieldKind.IntMap, FieldKind.TimeMap, FieldKind.StringMap],
            mapping.Fields.Take(4).Select(f => f.Kind));
    }

    [Theory]
    [InlineData("SELECT a\nINT0 user BY a", 2, 1, "expected FROM but found \"INT0\"")]
    [InlineData("SELECT a FROM s\n  INTO user BY", 2, 15, "expected an identity field but found end of query")]
    [InlineData("SELECT a, FROM s INTO user BY a", 1, 11, "expected an expression but found \"FROM\"")]
    [InlineData("SELECT a FROM s INTO user BY a WHERE", 1, 37, "expected an expression but found end of query")]
    [InlineData("SELECT \"open FROM s INTO user BY a", 1, 8, "unterminated string")]
    [InlineData("SELECT a # b FROM s INTO user BY a", 1, 10, "unexpected character \"#\"")]
    [InlineData("SELECT f(a, FROM s INTO user BY a", 1, 13, "expected an expression but found \"FROM\"")]
    [InlineData("SELECT a FROM s INTO user BY a extra", 1, 32, "expected end of query but found \"extra\"")]
    [InlineData("SELECT a KIND [string FROM s INTO user BY a", 1, 16, "expected \"]\" but found \"string\"")]
    [InlineData("SELECT a IF b = 1 IF c = 2 FROM s INTO user BY a", 1, 19, "IF given twice for one column")]
    [InlineData("SELECT a AS FROM s INTO user BY a", 1, 13, "expected a field name but found \"FROM\"")]
    [InlineData("SELECT `open FROM s", 1, 8, "unterminated backticked name")]
    public void Syntax_errors_report_line_and_column(string lql, int line, int column, string reason)
    {
        var error = Assert.Throws<QuerySyntaxException>(() => CompiledMapping.Compile(lql));
        Assert.Equal((line, column, reason), (error.Line, error.Column, error.Reason));
        Assert.Equal($"line {line}, column {column}: {reason}", error.Message);
    }

    [Theory]
    [InlineData("SELECT nosuch(a) AS b, id FROM s INTO user BY id", 1, 8, "unknown function \"nosuch\"")]
    [InlineData("SELECT id,\n  email(a, b) AS e FROM s INTO user BY id", 2, 3, "email takes 1 argument but was given 2")]
    [InlineData("SELECT todate() AS d, id FROM s INTO user BY id", 1, 8, "todate takes 1 to 2 arguments but was given 0")]
    [InlineData("SELECT a KIND integerish, id FROM s INTO user BY id", 1, 15, "unknown KIND \"integerish\"")]
    [InlineData("SELECT a MERGEOP NEWEST, id FROM s INTO user BY id", 1, 18, "unknown MERGEOP \"NEWEST\"")]
    [InlineData("SELECT a, b FROM s INTO user BY email OR phone", 1, 33, "the mapping references no identity")]
    [InlineData("SELECT \"a\" = \"b\", id FROM s INTO user BY id", 1, 12, "this computed column reads no field")]
    [InlineData("SELECT id FROM s INTO account BY id", 1, 23, "mappings can only write INTO user")]
    public void Validation_errors_report_line_and_column(string lql, int line, int column, string reasonStart)
    {
        var error = Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile(lql));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(reasonStart, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_identity_error_names_the_BY_fields()
    {
        var error = Assert.Throws<QueryValidationException>(() =>
            CompiledMapping.Compile("SELECT a FROM s INTO user BY email OR braze_id"));
        Assert.Contains("email, braze_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keywords_are_reserved_unless_backticked()
    {
        var record = Lql.Map("SELECT `from` AS f, id FROM s INTO user BY id", """{"id":"1","from":"x"}""");
        Assert.Equal("x", record.Fields[0].Value.ToString());
    }
}

public class RoundTripTests
{
    [Theory]
    [InlineData("SELECT a, b AS c FROM s INTO user BY a")]
    [InlineData("select email(`E Mail`) as email kind string mergeop latest shortdesc \"say \\\"hi\\\"\" longdesc 'two\\nlines', `a.b`.`c` AS d, user.id FROM s INTO user BY email OR `user.id` ALIAS x")]
    [InlineData("SELECT x AS y IF a = 1 AND NOT b != \"q\" OR c IN (1, 2.5, -3, TRUE, NULL) , id FROM s INTO user BY id WHERE EXISTS k AND k LIKE \"*z*\" AND t CONTAINS \"u\" AND n NOT IN (1)")]
    [InlineData("SELECT todate(d, \"2006-01-02\") AS d KIND date, set(t) AS t KIND []string, m KIND map[string]int, `from` FROM s INTO user BY `from`")]
    [InlineData(BuiltInMappings.BrazeUsers)]
    [InlineData(BuiltInMappings.BrazeSegmentExport)]
    public void Formatting_then_parsing_gives_the_same_mapping(string lql)
    {
        var once = Sluice.Query.Lql.Syntax.LqlFormatter.Format(Sluice.Query.Lql.Syntax.Parser.Parse(lql));
        var twice = Sluice.Query.Lql.Syntax.LqlFormatter.Format(Sluice.Query.Lql.Syntax.Parser.Parse(once));
        Assert.Equal(once, twice);

        // The canonical text also behaves the same on a record.
        const string json = """{"a":"1","b":"2","id":"i","email":"x@y.co","E Mail":"P@Q.co","user":{"id":"u"},"from":"f","k":"xzx","t":"tu","n":5,"d":"2020-01-02"}""";
        var original = MappingTester.Test(CompiledMapping.Compile(lql), System.Text.Json.JsonDocument.Parse(json).RootElement).ToJson().ToJsonString();
        var reparsed = MappingTester.Test(CompiledMapping.Compile(once), System.Text.Json.JsonDocument.Parse(json).RootElement).ToJson().ToJsonString();
        Assert.Equal(original, reparsed);
    }
}
