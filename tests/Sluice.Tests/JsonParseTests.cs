using Sluice.Api;

namespace Sluice.Tests;

/// <summary>The one parse every JSON input goes through: refusals say what and where in one shape.</summary>
public sealed class JsonParseTests
{
    [Theory]
    [InlineData("{\"a\":\n  [1,}", "malformed JSON at line 2, position 6")]
    [InlineData("{\"a\": \"ok\",\n \"b\": \"\\uD800\"}", "invalid Unicode at line 2, position 7: a string holds an escaped lone surrogate")]
    [InlineData("{\"\\uDC00\": 1}", "invalid Unicode at line 1, position 2")]
    public void A_refused_text_is_described_by_what_is_wrong_and_its_line_and_position(string text, string expected)
    {
        Assert.False(JsonStrings.TryParse(text, out var json, out var error));
        Assert.Null(json);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_nested_deeper_than_the_limit_is_refused_as_malformed()
    {
        var deep = new string('[', 65) + new string(']', 65);

        Assert.False(JsonStrings.TryParse(deep, out _, out var error));
        Assert.StartsWith("malformed JSON at line 1, position", error, StringComparison.Ordinal);
        Assert.True(JsonStrings.TryParse(deep, out var json, out _, maxDepth: 65));
        json.Dispose();
    }

    [Fact]
    public void Valid_text_with_a_surrogate_pair_parses()
    {
        Assert.True(JsonStrings.TryParse("{\"emoji\": \"\\uD83D\\uDE00\"}", out var json, out var error));
        using (json) Assert.Equal("\U0001F600", json.RootElement.GetProperty("emoji").GetString());
        Assert.Null(error);
    }
}
