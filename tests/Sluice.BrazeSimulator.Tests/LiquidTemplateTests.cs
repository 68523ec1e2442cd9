using Sluice.BrazeSimulator.Campaigns;

namespace Sluice.BrazeSimulator.Tests;

public sealed class LiquidTemplateTests
{
    private static readonly Dictionary<string, object?> Model = new(StringComparer.Ordinal)
    {
        ["first_name"] = "Zoë",
        ["last_name"] = "",
        ["user_id"] = "u 1",
        ["custom_attribute"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["plan"] = "gold",
            ["favourite color"] = "blue",
            ["tags"] = new List<object> { "a", "b" },
        },
    };

    [Theory]
    [InlineData("Hi {{${first_name}}}!", "Hi Zoë!")]
    [InlineData("{{ ${last_name} | default: 'there' }}", "there")]
    [InlineData("{{${missing} | default: \"none\"}}", "none")]
    [InlineData("{{custom_attribute.${plan} | upcase}}", "GOLD")]
    [InlineData("{{custom_attribute.${favourite color}}}", "blue")]
    [InlineData("{{custom_attribute.${tags}}}", "a, b")]
    [InlineData("/u/{{${user_id} | url_param_escape}}", "/u/u%201")]
    [InlineData("{{ 'x' | append: 'y' }}", "xy")]
    [InlineData("plain ${not_a_tag} text", "plain ${not_a_tag} text")]
    public void Braze_attribute_tags_and_filters_render(string template, string expected) =>
        Assert.Equal(expected, LiquidTemplate.Parse(template).Render(Model));

    [Theory]
    [InlineData("{% if x %}y{% endif %}")]
    [InlineData("{{ x | explode }}")]
    [InlineData("{{ unclosed")]
    [InlineData("{{ }}")]
    public void Unsupported_or_broken_templates_are_refused(string template) =>
        Assert.Throws<FormatException>(() => LiquidTemplate.Parse(template));
}
