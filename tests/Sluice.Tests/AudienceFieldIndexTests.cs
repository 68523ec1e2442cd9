using Sluice.Audiences;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Tests;

/// <summary>A change re-evaluates only the audiences that read a changed field, directly or through an include.</summary>
public sealed class AudienceFieldIndexTests
{
    private static AccountAudiences Build(params (string Slug, string Ql)[] definitions)
    {
        var now = DateTimeOffset.UtcNow;
        var audiences = definitions.Select(d => new Audience(AudienceIds.New(), "acct", d.Slug, d.Slug, null, d.Ql, false, now, now)).ToList();
        var resolver = AudienceRegistry.Resolver(audiences);
        return new AccountAudiences([.. audiences.Select(a => new CompiledAudience(a, FilterCompiler.Compile(FilterQlParser.Parse(a.SegmentQl), resolver)))]);
    }

    private static string[] Affected(AccountAudiences audiences, params string[] fields) =>
        [.. audiences.AffectedBy(fields).Select(a => a.Audience.Slug).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_change_to_city_reaches_the_audiences_reading_city_and_those_including_them()
    {
        var audiences = Build(
            ("oslo", "FILTER city = \"Oslo\""),
            ("gmail", "FILTER email LIKE \"*@gmail.com\""),
            ("oslo_gmail", "FILTER AND (INCLUDE oslo, INCLUDE gmail)"),
            ("everyone", "FILTER *"),
            ("active", "FILTER _last_event > \"now-1d\""));

        Assert.Equal(["active", "oslo", "oslo_gmail"], Affected(audiences, "city"));
        Assert.Equal(["active", "gmail", "oslo_gmail"], Affected(audiences, "email", "first_name"));
        Assert.Equal(["active"], Affected(audiences, "first_name"));
    }

    [Fact]
    public void More_than_64_audiences_are_indexed_the_same_way()
    {
        var audiences = Build([.. Enumerable.Range(0, 70).Select(i => ($"a{i}", $"FILTER f{i % 7} = \"x\""))]);

        Assert.Equal(10, Affected(audiences, "f3").Length);
        Assert.All(Affected(audiences, "f3"), slug => Assert.Equal(3, int.Parse(slug[1..], System.Globalization.CultureInfo.InvariantCulture) % 7));
    }
}
