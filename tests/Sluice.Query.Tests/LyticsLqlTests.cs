using System.Text.Json;
using Sluice.Query.Lql;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

/// <summary>
/// LQL as Lytics' own clients write it: every statement of the CLI's README and of lytics-js' tests compiles, columns
/// without AS are named the way qlbridge names them, and the builtins those statements (and real mappings) use work.
/// </summary>
public class LyticsLqlTests
{
    /// <summary>The statements of the Lytics CLI's README and of lytics-js' tests (its testFunction builds the last three).</summary>
    private const string ReadmeWatchExample = """
        SELECT
           user_id,
           name,
           todate(ts),
           match("user.") AS user_attributes,
           map(event, todate(ts))   as event_times   KIND map[string]time  MERGEOP LATEST

        FROM data
        INTO USER
        BY user_id
        ALIAS hello
        """;

    public static TheoryData<string> ClientStatements => new()
    {
        ReadmeWatchExample,
        """
        SELECT
           user_id,
           name,
           todate(ts),
           match("user.") AS user_attributes,
           map(event, todate(ts))   as event_times   KIND map[string]time  MERGEOP LATEST

        FROM default
        INTO USER
        BY user_id
        ALIAS my_query
        """,
        "SELECT email FROM test_stream INTO user BY email ALIAS _delete_me_unit_test",
        "SELECT email(`email`) AS email FROM test INTO user BY email ALIAS test",
        """
                SELECT

                first                   AS first_name               SHORTDESC "First Name"
                , last                  AS last_name                SHORTDESC "Last Name"
                -- By Fields/Unique Keys
                , email(email)          AS email                    SHORTDESC "Email"

            FROM test_stream
            INTO user BY email
            ALIAS test_query
        """,
        "SELECT tobool(\"true\") AS value, email(email) AS email FROM test_stream INTO user BY email ALIAS test_query",
        "SELECT toint(\"100\") AS value, email(email) AS email FROM test_stream INTO user BY email ALIAS test_query",
        "SELECT qs(\"https://www.lytics.com/test?name=First+Last\",\"name\") AS value, email(email) AS email FROM test_stream INTO user BY email ALIAS test_query",
    };

    [Theory]
    [MemberData(nameof(ClientStatements))]
    public void Every_statement_of_the_clients_compiles(string lql) => Assert.NotNull(CompiledMapping.Compile(lql));

    [Fact]
    public void The_readme_statement_maps_the_readme_events()
    {
        var mapping = CompiledMapping.Compile(ReadmeWatchExample);
        Assert.Equal(["user_id", "name", "ts", "user_attributes", "event_times"], mapping.Fields.Select(f => f.Name));
        using var doc = JsonDocument.Parse("""{"user_id":"another234","name":"No More","event":"project.signup","user.city":"Portland","user.state":"Or","ts":"2016-11-09"}""");
        var fields = mapping.Map(doc.RootElement).Fields.ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal(new DateTimeOffset(2016, 11, 9, 0, 0, 0, TimeSpan.Zero), fields["ts"].AsDate());
        Assert.Equal(new Dictionary<string, string> { ["city"] = "Portland", ["state"] = "Or" }, fields["user_attributes"].AsStringMap());
        Assert.Equal(new DateTimeOffset(2016, 11, 9, 0, 0, 0, TimeSpan.Zero), fields["event_times"].AsTimeMap()["project.signup"]);
    }

    [Theory]
    [InlineData("todate(ts)", "ts")]
    [InlineData("email(EmailAddress)", "email_EmailAddress")]
    [InlineData("count(_ref)", "ct__ref")]
    [InlineData("valuect(`my field`)", "cts_my field")]
    [InlineData("tolower(email(x))", "tolower_x")]
    [InlineData("match(\"user.\")", "match")]
    public void A_column_without_as_is_named_as_qlbridge_names_it(string column, string name)
    {
        var mapping = CompiledMapping.Compile($"SELECT {column}, id FROM s INTO user BY id");
        Assert.Equal(name, mapping.Fields[0].Name);
    }

    [Theory]
    [InlineData("tobool(\"true\")", "true")]
    [InlineData("toint(\"100\")", "100")]
    [InlineData("qs(\"https://www.lytics.com/test?name=First+Last\", \"name\")", "First Last")]
    [InlineData("qs2(x, \"utm\")", "mail")]
    [InlineData("urlmain(x)", "www.site.com/a/b")]
    [InlineData("urlminusqs(x)", "https://www.site.com/a/b")]
    [InlineData("path(x)", "/a/b")]
    [InlineData("host(x)", "www.site.com")]
    [InlineData("domain(x)", "site.com")]
    [InlineData("hasprefix(x, \"https\")", "true")]
    [InlineData("contains(x, \"site\")", "true")]
    [InlineData("replace(x, \"https://\")", "www.site.com/a/b?utm=mail")]
    [InlineData("len(\"abc\")", "3")]
    [InlineData("join(\"a\", \"b\", \"-\")", "a-b")]
    [InlineData("hash.md5(\"abc\")", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("hash.sip(\"http://www.google.com?q=123\")", "5673948842516703987")]
    [InlineData("hash(split(\"http://go.gl\", \",\"))", "4903078846009498015")]
    [InlineData("yymm(\"2016-11-09T10:00:00Z\")", "1611")]
    [InlineData("hourofday(\"2016-11-09T10:00:00Z\")", "10")]
    public void Builtins_give_qlbridge_results(string expression, string expected) =>
        Assert.Equal(expected, Lql.EvalText(expression, Lql.Record("https://www.site.com/a/b?utm=mail")));

    [Theory]
    [InlineData("array.index(tags, 1)", "b")]
    [InlineData("array.index(tags, -1)", "d")]
    [InlineData("array.index(tags, 6)", null)]
    [InlineData("array.slice(tags, -3, -1)", "[\"b\",\"c\"]")]
    [InlineData("array.slice(tags, 2)", "[\"c\",\"d\"]")]
    [InlineData("array.slice(tags, 1, 7)", null)]
    [InlineData("filter(split(\"apples,oranges\", \",\"), \"ora\")", "[\"apples\"]")]
    [InlineData("filter(split(\"apples,oranges\", \",\"), \"ora%\", \"ban*\")", "[\"apples\"]")]
    [InlineData("filtermatch(split(\"apples,oranges\", \",\"), \"app*\")", "[\"apples\"]")]
    [InlineData("filter(\"apples\", \"app\")", null)]
    [InlineData("filter(match(\"score_\", \"tag_\"), \"nam*\")", "{\"amount\":\"22\"}")]
    public void List_functions_and_filters_give_qlbridge_results(string expression, string? json)
    {
        var record = """{"tags":["a","b","c","d"],"score_amount":"22","tag_name":"bob","id":"1"}""";
        var kind = expression.StartsWith("array.slice", StringComparison.Ordinal) || expression.Contains("split", StringComparison.Ordinal) ? "[]string"
            : expression.Contains("match(", StringComparison.Ordinal) ? "map[string]string" : "";
        var value = Lql.Eval(expression, record, kind);
        Assert.Equal(json, value is null ? null : kind.Length == 0 ? value.Value.ToString() : value.Value.ToJsonNode()!.ToJsonString());
    }

    [Theory]
    [InlineData("url.matchqs(\"http://www.google.com/blog?mc_eid=123&mc_id=1&pid=123&utm_campaign=free\")", "www.google.com/blog")]
    [InlineData("url.matchqs(\"http://www.google.com/blog?mc_eid=123&mc_id=1&pid=123&utm_campaign=free\", \"pid\", \"mc_eid\")", "www.google.com/blog?mc_eid=123&pid=123")]
    [InlineData("url.matchqs(\"http://www.google.com/blog?mc_eid=123&mc_id=1&pid=123&utm_campaign=free\", \"mc_*\")", "www.google.com/blog?mc_eid=123&mc_id=1")]
    [InlineData("url.matchqs(split(\"http://go.gl?qx=abc&lb=true\", \",\"), \"q[a-z]\")", "go.gl?qx=abc")]
    [InlineData("url.matchqs(split(\"http://go.gl?lb=true\", \",\"), \"q[a-z]\")", "go.gl")]
    [InlineData("url.matchqs(\"http://not a url\")", null)]
    public void Url_matchqs_keeps_the_matching_query_parameters(string expression, string? expected) =>
        Assert.Equal(expected, Lql.EvalText(expression, Lql.Record("x")));

    [Fact]
    public void Tobool_writes_a_boolean_and_valuect_counts_each_value()
    {
        Assert.Equal(ValueKind.Bool, Lql.Eval("tobool(\"true\")", Lql.Record("x"))!.Value.Kind);
        var counts = Lql.Eval("valuect(x)", """{"x":["a","b","a"],"id":"1"}""")!.Value.AsIntMap();
        Assert.Equal(2, counts["a"]);
        Assert.Equal(MergeOp.Sum, CompiledMapping.Compile("SELECT valuect(x) AS v, id FROM s INTO user BY id").MergeOpFor("v"));
    }

    [Theory]
    [InlineData("SELECT phone(p) AS phone_number, id FROM s INTO user BY phone_number OR id", "phone_number", "(555) 123-1234", "+15551231234")]
    [InlineData("SELECT email(e) AS email, id FROM s INTO user BY email OR id", "email", " Ann@Example.COM", "ann@example.com")]
    [InlineData("SELECT email(user.mail) AS email, id FROM s INTO user BY email OR id", "email", "Ann@Example.COM", "ann@example.com")]
    public void A_looked_up_value_is_normalised_by_the_identity_columns_expression(string lql, string field, string given, string stored) =>
        Assert.Equal([stored], CompiledMapping.Compile(lql).NormalizeIdentity(field, given));
}
