using System.Text.Json;
using Sluice.Query.FilterQl;

namespace Sluice.Query.Tests.FilterQl;

/// <summary>The ad-hoc segment statements of the Lytics CLI's and go-lytics' READMEs (items separated by a newline, no comma).</summary>
public class LyticsClientStatementTests
{
    private const string ReadmeScan = """

        FILTER AND (
            lastvisit_ts > "now-2d"
            EXISTS email
        )
        FROM user

        """;

    [Fact]
    public void The_readme_scan_statement_compiles_and_matches_a_recent_visitor_with_an_email()
    {
        var filter = FilterCompiler.Compile(ReadmeScan);
        var now = new DateTimeOffset(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);
        using var recent = JsonDocument.Parse("""{"lastvisit_ts":"2024-06-14T12:00:00Z","email":"a@b.com"}""");
        using var old = JsonDocument.Parse("""{"lastvisit_ts":"2024-06-01T12:00:00Z","email":"a@b.com"}""");
        using var noEmail = JsonDocument.Parse("""{"lastvisit_ts":"2024-06-14T12:00:00Z"}""");
        Assert.True(filter.Matches(FilterEntity.FromJson(recent.RootElement), now));
        Assert.False(filter.Matches(FilterEntity.FromJson(old.RootElement), now));
        Assert.False(filter.Matches(FilterEntity.FromJson(noEmail.RootElement), now));
    }
}
