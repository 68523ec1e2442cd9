using System.Globalization;
using Sluice.Query.FilterQl;
using Sluice.Query.Values;

namespace Sluice.Query.Tests.FilterQl;

/// <summary>
/// NextFlip against brute force: over random filters, entities and instants, the result never changes before the
/// instant NextFlip gives, and for a lone ordering comparison it does change exactly there.
/// </summary>
public class FlipTests
{
    private static readonly string[] Units = ["s", "m", "h", "d", "w", "M", "y"];
    private static readonly string[] Rounds = ["", "", "", "/d", "/h", "/M", "/w", "/y", "/m"];
    // Ordering first: their flips are exact. Equality with rounded date math may be jumped over, and so may a
    // BETWEEN whose bounds move in the same step, so for those the flip is only an instant not to sleep past.
    private static readonly string[] Ops = [">", ">=", "<", "<=", "==", "!="];

    [Fact]
    public void The_result_never_changes_before_the_next_flip_and_a_lone_ordering_comparison_changes_at_it()
    {
        var random = new Random(42);
        for (var i = 0; i < 3_000; i++)
        {
            var now = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)
                .AddSeconds(random.Next(0, 365 * 86400)).AddTicks(random.Next(0, 10_000_000));
            var (text, lone) = RandomFilter(random);
            var filter = FilterCompiler.Compile(text);
            var entity = RandomEntity(random, now);

            var flip = filter.NextFlip(entity, now);
            var before = filter.Matches(entity, now);
            var horizon = flip ?? now.AddYears(3);
            foreach (var at in Samples(random, now, horizon))
            {
                Assert.True(
                    before == filter.Matches(entity, at),
                    $"{text} changed at {at:o}, before the flip {flip:o} (now {now:o}, entity {Describe(entity)})");
            }

            if (lone && flip is { } f)
            {
                Assert.True(
                    before != filter.Matches(entity, f),
                    $"{text} did not change at its flip {f:o} (now {now:o}, entity {Describe(entity)})");
            }
        }
    }

    private static (string Text, bool Lone) RandomFilter(Random random)
    {
        string Math(string sign) =>
            $"\"now{sign}{random.Next(0, 40)}{Units[random.Next(Units.Length)]}{Rounds[random.Next(Rounds.Length)]}\"";
        string AnySign() => random.Next(2) == 0 ? "-" : "+";

        var op = random.Next(Ops.Length);
        return random.Next(9) switch
        {
            0 or 1 or 2 => ($"FILTER t {Ops[op]} {Math(AnySign())}", op < 4),
            3 => ($"FILTER {Math(AnySign())} {Ops[op]} t", op < 4),
            4 => ($"FILTER t BETWEEN {Math("-")} AND {Math("+")}", false),
            5 => ($"FILTER NOT (t {Ops[op]} {Math(AnySign())})", op < 4),
            6 => ($"FILTER OR (t < {Math("-")}, t > {Math("+")})", false),
            7 => ($"FILTER ts {Ops[random.Next(4)]} {Math(AnySign())}", false),
            _ => ($"FILTER timewindow(ts, {random.Next(0, 4)}, {random.Next(1, 30)})", false),
        };
    }

    private static IFilterEntity RandomEntity(Random random, DateTimeOffset now)
    {
        DateTimeOffset Around() => now.AddSeconds(random.Next(-400 * 86400, 400 * 86400)).AddTicks(random.Next(0, 10_000_000));
        var times = Enumerable.Range(0, 3).Select(_ => Value.FormatDate(Around()));
        return FilterEntity.FromValues(new Dictionary<string, Value>
        {
            ["t"] = Value.FromDate(Around()),
            ["ts"] = Value.FromList(times),
        });
    }

    private static IEnumerable<DateTimeOffset> Samples(Random random, DateTimeOffset now, DateTimeOffset end)
    {
        var span = (end - now).Ticks;
        if (span <= 1)
        {
            yield break;
        }

        yield return now.AddTicks(1);
        yield return end.AddTicks(-1);
        yield return end.AddTicks(-TimeSpan.TicksPerSecond) is var s && s > now ? s : now.AddTicks(1);
        for (var i = 0; i < 60; i++)
        {
            yield return now.AddTicks(1 + (long)(random.NextDouble() * (span - 1)));
        }
    }

    private static string Describe(IFilterEntity entity)
    {
        entity.TryGet("t", out var t);
        entity.TryGet("ts", out var ts);
        return string.Create(CultureInfo.InvariantCulture, $"t={t}, ts=[{string.Join(", ", ts.AsList())}]");
    }
}
