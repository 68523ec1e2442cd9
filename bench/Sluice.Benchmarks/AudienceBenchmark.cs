using System.Diagnostics;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;
using Sluice.Query.Values;

namespace Sluice.Benchmarks;

/// <summary>
/// Full evaluation of every profile against 20 audiences of mixed shapes, compiled FilterQL against hand-written C#
/// predicates for the same audiences, over the same decoded profiles (sorted field lists of stored states, the shape
/// the processor holds) in the same run. Both sides must agree on every audience's size. Then the cost of one profile
/// change against 50 audiences.
/// </summary>
internal static class AudienceBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string Slug, string Filter)[] Audiences =
    [
        ("has_email", "FILTER EXISTS email"),
        ("engaged", "FILTER visitct > 5"),
        ("north_america", "FILTER country IN (\"US\", \"CA\")"),
        ("new", "FILTER _created > \"now-7d\""),
        ("spec_example", "FILTER AND (EXISTS email, visitct > 5, country IN (\"US\",\"CA\"), _created > \"now-7d\")"),
        ("parisians", "FILTER city == \"Paris\""),
        ("vip_or_beta", "FILTER tags INTERSECTS (\"vip\", \"beta\")"),
        ("gmail_like", "FILTER email LIKE \"*@gmail.com\""),
        ("anonymous", "FILTER NOT EXISTS email"),
        ("mid_score", "FILTER score BETWEEN 10 AND 50"),
        ("capitals", "FILTER OR (city == \"Paris\", city == \"Berlin\", city == \"Madrid\")"),
        ("lapsed", "FILTER last_seen < \"now-30d\""),
        ("named_ann", "FILTER tolower(name) == \"ann\""),
        ("product_viewers", "FILTER hits.product > 3"),
        ("us_not_high_value", "FILTER AND (country == \"US\", NOT INCLUDE high_value)"),
        ("high_value", "FILTER ltv >= 1000"),
        ("name_has_an", "FILTER name CONTAINS \"an\""),
        ("callable", "FILTER AND (visitct >= 1, score < 20, EXISTS phone)"),
        ("gmail_domain", "FILTER emaildomain(email) == \"gmail.com\""),
        ("churn_risk", "FILTER OR (tags IN (\"churned\"), last_seen < \"now-90d\")"),
    ];

    private static readonly Func<ProfileEntity, DateTimeOffset, bool>[] HandWritten =
    [
        (p, _) => p.Has("email"),
        (p, _) => p.Long("visitct") > 5,
        (p, _) => p.Text("country") is "US" or "CA",
        (p, now) => p.Date("_created") is { } c && Seconds(c) > Seconds(now.AddDays(-7)),
        (p, now) => p.Has("email") && p.Long("visitct") > 5 && p.Text("country") is "US" or "CA"
            && p.Date("_created") is { } c && Seconds(c) > Seconds(now.AddDays(-7)),
        (p, _) => p.Text("city") == "Paris",
        (p, _) => p.List("tags") is { } t && (t.Contains("vip") || t.Contains("beta")),
        (p, _) => p.Text("email") is { } e && e.EndsWith("@gmail.com", StringComparison.Ordinal),
        (p, _) => !p.Has("email"),
        (p, _) => p.Long("score") is > 10 and < 50,
        (p, _) => p.Text("city") is "Paris" or "Berlin" or "Madrid",
        (p, now) => p.Date("last_seen") is { } d && Seconds(d) < Seconds(now.AddDays(-30)),
        (p, _) => string.Equals(p.Text("name")?.ToLowerInvariant(), "ann", StringComparison.Ordinal),
        (p, _) => p.Map("hits") is { } h && h.TryGetValue("product", out var n) && n > 3,
        (p, _) => p.Text("country") == "US" && !(p.Double("ltv") >= 1000),
        (p, _) => p.Double("ltv") >= 1000,
        (p, _) => p.Text("name") is { } n && n.Contains("an", StringComparison.Ordinal),
        (p, _) => p.Long("visitct") >= 1 && p.Long("score") < 20 && p.Has("phone"),
        (p, _) => p.Text("email") is { } e && e.EndsWith("@gmail.com", StringComparison.Ordinal),
        (p, now) => (p.List("tags") is { } t && t.Contains("churned")) || (p.Date("last_seen") is { } d && Seconds(d) < Seconds(now.AddDays(-90))),
    ];

    public static void Run(int evaluations, int distinctProfiles, int rounds)
    {
        distinctProfiles = Math.Min(distinctProfiles, evaluations);
        Console.WriteLine($"audiences: {evaluations:N0} profile evaluations x {Audiences.Length} audiences over {distinctProfiles:N0} distinct decoded profiles, single thread, best of {rounds}");

        var statements = Audiences.Select(a => FilterQlParser.Parse($"{a.Filter} ALIAS {a.Slug}")).ToList();
        var resolver = AudienceResolver.FromStatements(statements);
        var compileWatch = Stopwatch.StartNew();
        var compiled = statements.Select(s => FilterCompiler.Compile(s, resolver)).ToArray();
        compileWatch.Stop();
        Console.WriteLine($"  parse + compile of {compiled.Length} audiences: {compileWatch.Elapsed.TotalMilliseconds:0.0} ms");

        var profiles = Generate(distinctProfiles, new Random(1));
        var predicates = compiled.Select(c => (Func<ProfileEntity, DateTimeOffset, bool>)((p, now) => c.Matches(p, now))).ToArray();

        var filterCounts = new long[compiled.Length];
        var handCounts = new long[compiled.Length];
        var bestFilter = TimeSpan.MaxValue;
        var bestHand = TimeSpan.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            bestHand = Min(bestHand, Measure(profiles, evaluations, HandWritten, handCounts));
            bestFilter = Min(bestFilter, Measure(profiles, evaluations, predicates, filterCounts));
        }

        for (var a = 0; a < compiled.Length; a++)
        {
            if (filterCounts[a] != handCounts[a])
            {
                throw new InvalidOperationException($"{Audiences[a].Slug}: FilterQL counted {filterCounts[a]}, the hand-written predicate {handCounts[a]}");
            }
        }

        var total = (double)evaluations * compiled.Length;
        Console.WriteLine($"  hand-written C#:  {bestHand.TotalSeconds:0.000} s  {total / bestHand.TotalSeconds / 1e6:0.0} M evaluations/s");
        Console.WriteLine($"  compiled FilterQL: {bestFilter.TotalSeconds:0.000} s  {total / bestFilter.TotalSeconds / 1e6:0.0} M evaluations/s  ({bestHand.TotalSeconds / bestFilter.TotalSeconds:0.00} x hand-written)");
        Console.WriteLine($"  audience sizes agree: {string.Join(", ", Audiences.Select((a, i) => $"{a.Slug}={filterCounts[i] / rounds:N0}"))}");

        PerAudience(profiles, predicates);
        Incremental(profiles, statements, resolver);
    }

    /// <summary>Nanoseconds per evaluation of each audience alone, to show which shapes cost what.</summary>
    private static void PerAudience(ProfileEntity[] profiles, Func<ProfileEntity, DateTimeOffset, bool>[] predicates)
    {
        var parts = new List<string>();
        for (var a = 0; a < predicates.Length; a++)
        {
            // Each twice, alternating, keeping the better: the first pass over the profiles warms what the second reads.
            var hand = Time(profiles, HandWritten[a]);
            var filter = Time(profiles, predicates[a]);
            hand = Math.Min(hand, Time(profiles, HandWritten[a]));
            filter = Math.Min(filter, Time(profiles, predicates[a]));
            parts.Add($"{Audiences[a].Slug} {filter:0}/{hand:0}");
        }

        Console.WriteLine($"  ns per evaluation, FilterQL/hand-written: {string.Join(", ", parts)}");
    }

    private static double Time(ProfileEntity[] profiles, Func<ProfileEntity, DateTimeOffset, bool> predicate)
    {
        var sink = 0;
        var watch = Stopwatch.StartNew();
        foreach (var profile in profiles)
        {
            sink += predicate(profile, Now) ? 1 : 0;
        }

        return (watch.Elapsed.TotalNanoseconds / profiles.Length) + (sink < 0 ? 1 : 0);
    }

    /// <summary>One changed profile against 50 audiences: the 20 above plus 30 variants of them.</summary>
    private static void Incremental(ProfileEntity[] profiles, List<FilterStatement> statements, IAudienceResolver resolver)
    {
        var fifty = statements.Select(s => FilterCompiler.Compile(s, resolver)).ToList();
        for (var i = 0; fifty.Count < 50; i++)
        {
            fifty.Add(FilterCompiler.Compile($"FILTER AND (visitct > {i}, {Audiences[i % Audiences.Length].Filter[7..]})", resolver));
        }

        var samples = new double[Math.Min(20_000, profiles.Length)];
        var sink = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            foreach (var filter in fifty)
            {
                sink += filter.Matches(profiles[i], Now) ? 1 : 0;
            }

            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        Console.WriteLine(
            $"  one profile x {fifty.Count} audiences: median {samples[samples.Length / 2]:0.00} µs, p99 {samples[(int)(samples.Length * 0.99)]:0.00} µs ({sink} matches)");
    }

    private static TimeSpan Measure(ProfileEntity[] profiles, int evaluations, Func<ProfileEntity, DateTimeOffset, bool>[] audiences, long[] counts)
    {
        var local = new long[audiences.Length];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < evaluations; i++)
        {
            var profile = profiles[i % profiles.Length];
            for (var a = 0; a < audiences.Length; a++)
            {
                if (audiences[a](profile, Now))
                {
                    local[a]++;
                }
            }
        }

        watch.Stop();
        for (var a = 0; a < counts.Length; a++)
        {
            counts[a] += local[a];
        }

        return watch.Elapsed;
    }

    private static ProfileEntity[] Generate(int count, Random random)
    {
        string[] countries = ["US", "CA", "FR", "DE", "ES", "GB", "JP", "BR"];
        string[] cities = ["Paris", "Berlin", "Madrid", "Austin", "Toronto", "Lyon", "Osaka", "Recife"];
        string[] names = ["Ann", "Dan", "Lena", "Bob", "Ivan", "Mia", "ann", "Jo"];
        string[] tags = ["vip", "beta", "churned", "trial", "newsletter", "partner"];
        string[] domains = ["gmail.com", "yahoo.com", "shop.example", "mail.example"];
        var profiles = new ProfileEntity[count];
        for (var i = 0; i < count; i++)
        {
            var fields = new SortedList<string, BenchField>(StringComparer.Ordinal);
            // Decoded profiles hold their own copies of field names, not the interned literals used here.
            void Set(string name, Value value) =>
                fields[new string(name.AsSpan())] = new BenchField(MergeOp.Latest, FieldValue.Create(value, 1_700_000_000_000));
            if (random.Next(10) < 7)
            {
                Set("email", Value.FromString($"user{i}@{domains[random.Next(domains.Length)]}"));
            }

            if (random.Next(10) < 3)
            {
                Set("phone", Value.FromString($"+1555{i:D7}"));
            }

            Set("visitct", Value.FromLong(random.Next(0, 20)));
            Set("country", Value.FromString(countries[random.Next(countries.Length)]));
            Set("city", Value.FromString(cities[random.Next(cities.Length)]));
            Set("name", Value.FromString(names[random.Next(names.Length)]));
            Set("score", Value.FromLong(random.Next(0, 100)));
            Set("ltv", Value.FromDouble(random.NextDouble() * 2000));
            Set("_created", Value.FromDate(Now.AddSeconds(-random.Next(0, 60 * 86400))));
            Set("last_seen", Value.FromDate(Now.AddSeconds(-random.Next(0, 120 * 86400))));
            Set("tags", Value.FromList(tags.Where(_ => random.Next(4) == 0)));
            Set("hits", Value.FromIntMap([KeyValuePair.Create("product", (long)random.Next(0, 8)), KeyValuePair.Create("blog", (long)random.Next(0, 8))]));
            profiles[i] = new ProfileEntity(fields);
        }

        return profiles;
    }

    private static long Seconds(DateTimeOffset d) => d.UtcTicks / TimeSpan.TicksPerSecond;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The processor's stored field: a merge operator and the field's state.</summary>
    private readonly record struct BenchField(MergeOp Op, FieldValue State);

    /// <summary>What the processor would pass: its decoded profile behind <see cref="IFilterEntity"/>.</summary>
    private sealed class ProfileEntity(SortedList<string, BenchField> fields) : IFilterEntity
    {
        public bool TryGet(string field, out Value value)
        {
            if (fields.TryGetValue(field, out var stored))
            {
                value = stored.State.Value;
                return true;
            }

            value = Value.Null;
            return false;
        }

        public bool Has(string field) => TryGet(field, out var v) && !v.IsNull;

        public string? Text(string field) => TryGet(field, out var v) && v.Kind == ValueKind.String ? v.AsString() : null;

        public long? Long(string field) => TryGet(field, out var v) && v.Kind == ValueKind.Long ? v.AsLong() : null;

        public double? Double(string field) => TryGet(field, out var v) && v.IsNumber ? v.AsDouble() : null;

        public DateTimeOffset? Date(string field) => TryGet(field, out var v) && v.Kind == ValueKind.Date ? v.AsDate() : null;

        public IReadOnlyList<string>? List(string field) => TryGet(field, out var v) && v.Kind == ValueKind.StringList ? v.AsList() : null;

        public IReadOnlyDictionary<string, long>? Map(string field) => TryGet(field, out var v) && v.Kind == ValueKind.IntMap ? v.AsIntMap() : null;
    }
}
