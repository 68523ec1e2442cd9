using System.Diagnostics;
using System.Text;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Query.Tests.FilterQl;

/// <summary>
/// Random and mutated statements: every parse (and every compile and evaluation of what parses) either succeeds or
/// throws <see cref="FilterQlException"/>, and none takes long. Seeded, so a failure reproduces.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Fragments =
    [
        "(", ")", ",", "\"", "`", "'", " AND ", " OR ", " NOT ", " IN ", " INTERSECTS ", " CONTAINS ", " LIKE ", " BETWEEN ",
        " EXISTS ", " INCLUDE ", "==", "=", "!=", "<>", ">", ">=", "<", "<=", "--", "\n", " ", "*", "[", "]", "\"now-7d\"",
        "\"now/d\"", "\"now-", "0", "-", ".", "1e999", "9999999999999999999999", "x", "name", "é", "\\", ";", " WITH ",
        " ALIAS ", " FROM ", " LIMIT ", "tolower(", "timewindow(x, 1, 2)", "len(", "oneof(a,", "match_all", "NULL", "true",
        "\u0000", "\t", "\r\n", "%", "?", "\"a*b\"", "SELECT * FROM user WHERE ", "FILTER ",
    ];

    private static readonly DateTimeOffset Now = new(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Mutated_table_statements_parse_or_fail_with_a_position_quickly()
    {
        var cases = ConformanceTable.Load().ToList();
        var corpus = cases.Select(c => c.Statement).ToArray();
        var resolver = AudienceResolver.FromStatements(
            cases.SelectMany(c => c.Audiences).Distinct(StringComparer.Ordinal).Select(a => FilterQlParser.Parse(a)));
        var entity = FilterEntity.FromJson(cases.First(c => c.Entity.Length > 100).Entity);
        var random = new Random(20241129);
        for (var i = 0; i < 5_000; i++)
        {
            var text = Mutate(corpus[random.Next(corpus.Length)], corpus, random);
            Exercise(text, resolver, entity);
        }
    }

    [Fact]
    public void Random_token_soup_parses_or_fails_with_a_position_quickly()
    {
        var random = new Random(7);
        for (var i = 0; i < 3_000; i++)
        {
            var sb = new StringBuilder(random.Next(3) == 0 ? string.Empty : "FILTER ");
            var n = random.Next(1, 40);
            for (var j = 0; j < n; j++)
            {
                sb.Append(Fragments[random.Next(Fragments.Length)]);
            }

            Exercise(sb.ToString(), resolver: null, FilterEntity.Empty);
        }
    }

    [Fact]
    public void Random_characters_parse_or_fail_with_a_position_quickly()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = (char)random.Next(0, 0x2100);
            }

            Exercise(new string(chars), resolver: null, FilterEntity.Empty);
            Exercise("FILTER " + new string(chars), resolver: null, FilterEntity.Empty);
        }
    }

    [Fact]
    public void Table_filters_evaluate_any_shape_of_value_without_throwing()
    {
        var random = new Random(3);
        var cases = ConformanceTable.Load().Where(c => !c.Expectation.StartsWith("error", StringComparison.Ordinal)).ToList();
        foreach (var c in cases)
        {
            var resolver = AudienceResolver.FromStatements(c.Audiences.Select(a => FilterQlParser.Parse(a)));
            var filter = FilterCompiler.Compile(c.Statement, resolver);
            for (var i = 0; i < 20; i++)
            {
                var fields = filter.Fields.ToDictionary(f => f, _ => RandomValue(random));
                var entity = FilterEntity.FromValues(fields);
                var now = Now.AddSeconds(random.Next(-1_000_000_000, 1_000_000_000));
                filter.Evaluate(entity, now);
                filter.NextFlip(entity, now);
            }
        }
    }

    private static Value RandomValue(Random random)
    {
        string Text() => random.Next(8) switch
        {
            0 => string.Empty,
            1 => "2024-06-15T12:00:00Z",
            2 => "now-1d",
            3 => "-12.5",
            4 => "true",
            5 => "Yoda <yoda@dagobah.org>",
            6 => "99999999999999999999999",
            _ => "x*%?",
        };

        return random.Next(11) switch
        {
            0 => Value.Null,
            1 => Value.FromString(Text()),
            2 => Value.FromLong(random.Next(3) == 0 ? long.MinValue : random.Next(-5, 5)),
            3 => Value.FromDouble(random.Next(2) == 0 ? double.MaxValue : random.NextDouble()),
            4 => Value.FromBool(random.Next(2) == 0),
            5 => Value.FromDate(random.Next(3) == 0 ? DateTimeOffset.MinValue : random.Next(3) == 0 ? DateTimeOffset.MaxValue : Now),
            6 => Value.FromList(Enumerable.Range(0, random.Next(4)).Select(_ => Text())),
            7 => Value.FromStringMap([KeyValuePair.Create("foo", Text())]),
            8 => Value.FromIntMap([KeyValuePair.Create("foo", (long)random.Next())]),
            9 => Value.FromTimeMap([KeyValuePair.Create("foo", Now)]),
            _ => Value.FromLong(1_700_000_000),
        };
    }

    private static void Exercise(string text, IAudienceResolver? resolver, IFilterEntity entity)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var statement = FilterQlParser.Parse(text);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"parsing took {watch.Elapsed}: {text}");
            var filter = FilterCompiler.Compile(statement, resolver);
            filter.Evaluate(entity, Now);
            filter.NextFlip(entity, Now);
            FilterQlParser.Parse(statement.ToString(), new ParseLimits { MaxBytes = int.MaxValue });
        }
        catch (FilterQlException ex)
        {
            Assert.True(ex.Line >= 1 && ex.Column >= 1, $"position {ex.Line}:{ex.Column} for {text}");
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}: {text}");
    }

    private static string Mutate(string text, string[] corpus, Random random)
    {
        var sb = new StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(sb.Length + 1);
            switch (random.Next(6))
            {
                case 0:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when sb.Length > 0:
                    var start = random.Next(sb.Length);
                    sb.Remove(start, random.Next(1, Math.Min(10, sb.Length - start) + 1));
                    break;
                case 2 when sb.Length > 0:
                    var from = random.Next(sb.Length);
                    var length = random.Next(1, Math.Min(30, sb.Length - from) + 1);
                    sb.Insert(at, sb.ToString(from, length));
                    break;
                case 3:
                    var other = corpus[random.Next(corpus.Length)];
                    var cut = random.Next(other.Length + 1);
                    sb.Insert(at, other[cut..]);
                    break;
                case 4:
                    sb.Length = at;
                    break;
                default:
                    if (sb.Length > 0)
                    {
                        sb[random.Next(sb.Length)] = Fragments[random.Next(Fragments.Length)][0];
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
