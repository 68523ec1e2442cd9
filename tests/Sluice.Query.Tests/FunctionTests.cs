namespace Sluice.Query.Tests;

public class FunctionTests
{
    [Theory]
    [InlineData("  John.Smith@Email.COM ", "john.smith@email.com")]
    [InlineData("mailto:a@b.io", "a@b.io")]
    [InlineData("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk")]
    [InlineData("not an email", null)]
    [InlineData("a@b", null)]
    [InlineData("a@@b.com", null)]
    [InlineData("@b.com", null)]
    [InlineData("a b@c.com", null)]
    [InlineData("a@b..com", null)]
    [InlineData("a@-b.com", null)]
    [InlineData("a@b.c", null)]
    public void Email_normalises_or_rejects(string input, string? expected) =>
        Assert.Equal(expected, Lql.EvalText("email(x)", Lql.Record(input)));

    [Theory]
    [InlineData(" Ann@Example.COM", "example.com")]
    [InlineData("bogus", null)]
    public void Emaildomain_takes_the_normalised_domain(string input, string? expected) =>
        Assert.Equal(expected, Lql.EvalText("emaildomain(x)", Lql.Record(input)));

    [Theory]
    [InlineData("tolower(x)", "AbC Ä", "abc ä")]
    [InlineData("toupper(x)", "AbC ä", "ABC Ä")]
    [InlineData("trim(x)", "  a b \t", "a b")]
    [InlineData("hash.sha256(x)", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("hash.sha256(email(x))", " A@B.COM", "fb98d44ad7501a959f3f4f4a3f004fe2d9e581ea6207e218c4b02c08a4d75adf")]
    public void Text_functions(string expression, string input, string expected) =>
        Assert.Equal(expected, Lql.EvalText(expression, Lql.Record(input)));

    [Theory]
    [InlineData("toint(x)", "\"42\"", "42")]
    [InlineData("toint(x)", "\"-7\"", "-7")]
    [InlineData("toint(x)", "\"3.9\"", "3")]
    [InlineData("toint(x)", "12.5", "12")]
    [InlineData("toint(x)", "true", "1")]
    [InlineData("toint(x)", "\"abc\"", null)]
    [InlineData("tonumber(x)", "\"1.5\"", "1.5")]
    [InlineData("tonumber(x)", "\"1e3\"", "1000")]
    [InlineData("tonumber(x)", "7", "7")]
    [InlineData("tonumber(x)", "\"12,5\"", null)]
    [InlineData("tonumber(x)", "\"NaN\"", null)]
    public void Number_functions(string expression, string jsonValue, string? expected) =>
        Assert.Equal(expected, Lql.EvalText(expression, $$"""{"id":"1","x":{{jsonValue}}}"""));

    [Theory]
    [InlineData("5551231234", "+15551231234")]
    [InlineData("(555) 123-1234", "+15551231234")]
    [InlineData("555.123.1234", "+15551231234")]
    [InlineData("1-555-123-1234", "+15551231234")]
    [InlineData("+1 555 123 1234", "+15551231234")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    [InlineData("+49 (0)30 123456", "+4930123456")]
    [InlineData("(0)30 123456", null)]
    [InlineData("555-123-1234 x42", "+15551231234")]
    [InlineData("555-123-1234 ext. 42", "+15551231234")]
    [InlineData("1234567", null)]
    [InlineData("0551231234", null)]
    [InlineData("1-800-FLOWERS", null)]
    [InlineData("+12", null)]
    [InlineData("+1234567890123456", null)]
    public void Phone_normalises_to_E164(string input, string? expected) =>
        Assert.Equal(expected, Lql.EvalText("phone(x)", Lql.Record(input)));

    [Fact]
    public void Set_collects_scalars_and_arrays()
    {
        Assert.Equal(["a"], Lql.Eval("set(x)", Lql.Record("a"))!.Value.AsList());
        Assert.Equal(["b", "a"], Lql.Eval("set(x)", """{"id":"1","x":["b","a"]}""")!.Value.AsList());
    }

    [Theory]
    [InlineData("count(x)", "\"a\"", "1")]
    [InlineData("count(x)", "[\"a\",\"b\",\"c\"]", "3")]
    [InlineData("count(x)", "\"\"", null)]
    [InlineData("sum(x)", "\"2.5\"", "2.5")]
    [InlineData("sum(x)", "[1, \"2\", 3.5, \"z\"]", "6.5")]
    [InlineData("min(x)", "[5, \"3\", 9]", "3")]
    [InlineData("max(x)", "[5, \"3\", 9]", "9")]
    [InlineData("max(x)", "\"12\"", "12")]
    public void Aggregates_produce_the_per_event_contribution(string expression, string jsonValue, string? expected) =>
        Assert.Equal(expected, Lql.EvalText(expression, $$"""{"id":"1","x":{{jsonValue}}}"""));

    [Fact]
    public void Min_and_max_of_dates_stay_dates()
    {
        var value = Lql.Eval("min(todate(x))", Lql.Record("2020-05-06"))!.Value;
        Assert.Equal(new DateTimeOffset(2020, 5, 6, 0, 0, 0, TimeSpan.Zero), value.AsDate());
    }

    [Theory]
    [InlineData("""{"id":"1","b":"second"}""", "second")]
    [InlineData("""{"id":"1","a":"","b":"second"}""", "second")]
    [InlineData("""{"id":"1","a":"first","b":"second"}""", "first")]
    [InlineData("""{"id":"1","a":"  "}""", "lit")]
    public void Oneof_takes_the_first_non_empty(string json, string expected) =>
        Assert.Equal(expected, Lql.EvalText("oneof(a, b, \"lit\")", json));

    [Fact]
    public void Text_functions_apply_to_each_item_of_a_list()
    {
        var value = Lql.Eval("email(x)", """{"id":"1","x":[" A@B.com","junk","c@d.org"]}""", "[]string")!.Value;
        Assert.Equal(["a@b.com", "c@d.org"], value.AsList());
    }

    [Fact]
    public void Functions_on_literals_are_folded()
    {
        Assert.Equal("abc", Lql.EvalText("tolower(\"ABC\")", """{"id":"1"}"""));
    }
}
