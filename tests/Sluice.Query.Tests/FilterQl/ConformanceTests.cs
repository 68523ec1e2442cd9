using System.Globalization;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Query.Tests.FilterQl;

public class ConformanceTests
{
    private static readonly Dictionary<string, ConformanceCase> Cases = ConformanceTable.Load().ToDictionary(c => c.Where);

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Statement_gives_the_tabled_result(string where)
    {
        var c = Cases[where];
        var words = c.Expectation.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var resolver = AudienceResolver.FromStatements(c.Audiences.Select(a => FilterQlParser.Parse(a)));

        if (words[0] == "error")
        {
            var error = Assert.ThrowsAny<FilterQlException>(() => FilterCompiler.Compile(c.Statement, resolver));
            Assert.Equal(words[1], $"{error.Line}:{error.Column}");
            foreach (var word in words.Skip(2))
            {
                Assert.Contains(word, error.Reason, StringComparison.OrdinalIgnoreCase);
            }

            return;
        }

        var filter = FilterCompiler.Compile(c.Statement, resolver);
        var entity = FilterEntity.FromJson(c.Entity);
        bool? expected = words[0] switch
        {
            "true" => true,
            "false" => false,
            "unknown" => null,
            _ => throw new FormatException($"{where}: unknown expectation \"{words[0]}\""),
        };
        Assert.Equal(expected, filter.Evaluate(entity, c.Now));
        Assert.Equal(expected == true, filter.Matches(entity, c.Now));

        if (words.Length >= 3 && words[1] == "flip")
        {
            DateTimeOffset? flip = words[2] == "none"
                ? null
                : DateTimeOffset.Parse(words[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.Equal(flip, filter.NextFlip(entity, c.Now));
        }
    }

    [Fact]
    public void Tables_hold_several_hundred_cases()
    {
        Assert.True(Cases.Count >= 300, $"only {Cases.Count} cases");
    }
}
