using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

/// <summary><c>json.jmespath(field, "expression")</c> over JSON in a record, with its limits.</summary>
public class JmesPathFunctionTests
{
    private const string Items = """[{"name":"n1","ct":8,"b":true,"tags":["a","b"]},{"name":"n2","ct":10,"b":false,"tags":["a","c"]}]""";

    [Fact]
    public void A_search_over_json_text_in_a_string_field_answers_as_lytics_documents()
    {
        var record = Lql.Record(Items);
        Assert.Equal("n1", Lql.EvalText("json.jmespath(x, \"[?name == 'n1'].name | [0]\")", record));
        Assert.Equal(["n1", "n2"], Lql.Eval("json.jmespath(x, \"[*].name\")", record, "[]string")!.Value.AsList());
        Assert.Equal(10, Lql.Eval("json.jmespath(x, \"[1].ct\")", record, "int")!.Value.AsLong());
    }

    /// <summary>The result's KIND is string unless the column declares another, as for any function of unknown type.</summary>
    [Fact]
    public void A_search_reads_a_fields_structure_and_objects_become_maps_of_text()
    {
        var record = """{"id":"1","order":{"items":""" + Items + ""","total":{"amount":18.5,"currency":"EUR"}}}""";
        Assert.Equal(["a", "b", "a", "c"], Lql.Eval("json.jmespath(order, \"items[].tags[]\")", record, "[]string")!.Value.AsList());
        var total = Lql.Eval("json.jmespath(order, \"total\")", record, "map[string]string")!.Value;
        Assert.Equal(ValueKind.StringMap, total.Kind);
        Assert.Equal("18.5", total.AsStringMap()["amount"]);
        Assert.False(Lql.Eval("json.jmespath(order, \"items[1].b\")", record, "bool")!.Value.AsBool());
    }

    [Fact]
    public void No_match_text_that_is_not_json_and_json_over_the_limits_write_nothing()
    {
        Assert.Null(Lql.Eval("json.jmespath(x, \"missing\")", Lql.Record("""{"a":1}""")));
        Assert.Null(Lql.Eval("json.jmespath(x, \"a\")", Lql.Record("not json")));
        var deep = new string('[', 100) + new string(']', 100);
        Assert.Null(Lql.Eval("json.jmespath(x, \"[0]\")", Lql.Record(deep)));
        var large = """{"a":" """ + new string('x', 300 * 1024) + "\"}";
        Assert.Null(Lql.Eval("json.jmespath(x, \"a\")", Lql.Record(large)));
    }

    /// <summary>JmesPath.Net throws a plain exception for data of the wrong type; one record's data must not stop its event.</summary>
    [Theory]
    [InlineData("length(@)", "5")]
    [InlineData("sort(@)", "[1,\"a\"]")]
    [InlineData("join(',', @)", "[1]")]
    [InlineData("merge(@)", "3")]
    public void Data_of_the_wrong_type_for_the_expression_writes_nothing(string expression, string json)
    {
        Assert.Null(Lql.Eval($"json.jmespath(x, \"{expression}\")", Lql.Record(json)));
    }

    [Fact]
    public void An_expression_that_does_not_parse_or_is_not_a_literal_is_refused_with_the_mapping()
    {
        var bad = Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile("SELECT json.jmespath(x, \"[?name ==\") AS n, id FROM s INTO user BY id"));
        Assert.Contains("json.jmespath", bad.Message, StringComparison.Ordinal);
        Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile("SELECT json.jmespath(x, path) AS n, id FROM s INTO user BY id"));
        Assert.Throws<QueryValidationException>(() => CompiledMapping.Compile($"SELECT json.jmespath(x, \"{new string('a', 2000)}\") AS n, id FROM s INTO user BY id"));
    }
}
