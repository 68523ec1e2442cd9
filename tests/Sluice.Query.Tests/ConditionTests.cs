namespace Sluice.Query.Tests;

public class ConditionTests
{
    private const string Json = """{"id":"1","event":"Checkout","amt":"12.5","n":7,"tags":["a","vip"],"flag":"t","mail":"ann@shop.example","empty":""}""";

    [Theory]
    [InlineData("event = \"Checkout\"", true)]
    [InlineData("event == \"checkout\"", false)]
    [InlineData("event != \"Browse\"", true)]
    [InlineData("amt > 12", true)]
    [InlineData("amt >= 12.5", true)]
    [InlineData("amt < 12.5", false)]
    [InlineData("n <= 7", true)]
    [InlineData("n = \"7\"", true)]
    [InlineData("n > \"10\"", false)]
    [InlineData("missing > 1", false)]
    [InlineData("missing = null", true)]
    [InlineData("EXISTS event", true)]
    [InlineData("EXISTS empty", false)]
    [InlineData("NOT EXISTS missing", true)]
    [InlineData("event IN (\"Browse\", \"Checkout\")", true)]
    [InlineData("n IN (1, 2, 3)", false)]
    [InlineData("n NOT IN (1, 2, 3)", true)]
    [InlineData("tags CONTAINS \"vip\"", true)]
    [InlineData("mail CONTAINS \"@shop.\"", true)]
    [InlineData("tags NOT CONTAINS \"x\"", true)]
    [InlineData("mail LIKE \"*@SHOP.*\"", true)]
    [InlineData("mail LIKE \"ann@*.org\"", false)]
    [InlineData("tags = \"vip\"", true)]
    [InlineData("flag", true)]
    [InlineData("flag AND n > 5 AND NOT event = \"x\"", true)]
    [InlineData("event = \"x\" OR amt > 1 AND n = 7", true)]
    [InlineData("(event = \"x\" OR amt > 1) AND n = 8", false)]
    [InlineData("todate(\"2020-01-01\") < todate(\"2021-01-01\")", true)]
    [InlineData("todate(\"2020-01-01\") = \"2020-01-01T00:00:00Z\"", true)]
    public void Where_conditions(string condition, bool expected)
    {
        var record = Lql.Map($"SELECT id FROM s INTO user BY id WHERE {condition}", Json);
        Assert.Equal(expected, record.Included);
        Assert.Equal(expected ? 1 : 0, record.Fields.Count);
    }

    [Fact]
    public void If_guards_a_single_column()
    {
        const string lql = """
            SELECT id, amt AS checkout_amt KIND number IF event = "Checkout", amt AS browse_amt IF event = "Browse"
            FROM s INTO user BY id
            """;
        var record = Lql.Map(lql, Json);
        Assert.Equal(["id", "checkout_amt"], record.Fields.Select(f => f.Name));
        Assert.Equal(12.5, record.Fields[1].Value.AsDouble());
    }
}
