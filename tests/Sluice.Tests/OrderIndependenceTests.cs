using CsCheck;
using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// The profiles that result from a set of events do not depend on the order the events arrive in, nor on how they
/// are cut into processing batches: merges, LATEST ties, SET, COUNT, MIN and MAX all commute.
/// </summary>
public sealed class OrderIndependenceTests
{
    private static readonly Dictionary<string, string> AppMapping = new()
    {
        ["app_events"] = """
            SELECT user_id, set(event) AS events, count(event) AS event_count, min(todate(ts)) AS first_seen,
                   max(todate(ts)) AS last_seen, plan, sum(toint(amount)) AS spent
            FROM app INTO user BY user_id ALIAS app_events
            """,
    };

    private static readonly string[] FirstNames = ["Ann", "Bo", "Cy"];
    private static readonly string[] Events = ["login", "view", "purchase"];
    private static readonly string[] Plans = ["free", "pro"];

    /// <summary>One event of one of four people, through one of three streams, carrying some of that person's identities.</summary>
    private static readonly Gen<(string Stream, long TimeMs, string Json)> Event =
        from person in Gen.Int[0, 3]
        from stream in Gen.Int[0, 2]
        from time in Gen.Int[0, 3] // few distinct times, so LATEST and OLDEST ties are common
        from pick in Gen.Int[1, 7]
        from name in Gen.Int[0, FirstNames.Length - 1]
        from ev in Gen.Int[0, Events.Length - 1]
        from plan in Gen.Int[0, Plans.Length - 1]
        from amount in Gen.Int[0, 100]
        select Build(person, stream, 1_700_000_000_000L + time * 60_000, pick, FirstNames[name], Events[ev], Plans[plan], amount);

    private static (string, long, string) Build(int person, int stream, long time, int pick, string name, string ev, string plan, int amount)
    {
        var o = new JsonObject();
        switch (stream)
        {
            case 0: // the Braze webhook: email and/or braze_id
                if ((pick & 1) != 0 || (pick & 2) == 0) o["email"] = $"p{person}@example.com";
                if ((pick & 2) != 0) o["braze_id"] = $"b{person}";
                o["first_name"] = name;
                return ("braze_users", time, o.ToJsonString());
            case 1: // a segment export row: any of user_id, Braze ID, email
                if ((pick & 1) != 0) o["user_id"] = $"u{person}";
                if ((pick & 2) != 0) o["Braze ID"] = $"b{person}";
                if ((pick & 4) != 0) o["email"] = $"p{person}@example.com";
                o["first_name"] = name;
                o["random_bucket"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ("braze_segment_export", time, o.ToJsonString());
            default: // the app: user_id only
                o["user_id"] = $"u{person}";
                o["event"] = ev;
                o["plan"] = plan;
                o["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                o["ts"] = DateTimeOffset.FromUnixTimeMilliseconds(time).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                return ("app", time, o.ToJsonString());
        }
    }

    [Fact]
    public async Task Profiles_do_not_depend_on_event_order_or_batching()
    {
        var gen =
            from events in Event.Array[1, 30]
            from shuffled in Gen.Shuffle(events.ToArray())
            from batch in Gen.Int[1, 7]
            select (events, shuffled, batch);

        await gen.SampleAsync(async t =>
        {
            var expected = await RunAsync(t.events, batchSize: 1000);
            var actual = await RunAsync(t.shuffled, t.batch);
            Assert.Equal(expected, actual);
        }, iter: 40, threads: 1);
    }

    [Fact]
    public async Task The_property_detects_an_order_dependent_result()
    {
        // The comparison above must be able to fail: the same people with different final names differ.
        var a = await RunAsync([("braze_users", 1, """{"email":"x@example.com","first_name":"Ann"}""")], 10);
        var b = await RunAsync([("braze_users", 1, """{"email":"x@example.com","first_name":"Bo"}""")], 10);
        Assert.NotEqual(a, b);
    }

    private static async Task<List<string>> RunAsync((string Stream, long TimeMs, string Json)[] events, int batchSize)
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize, AppMapping);
        await pipeline.AppendAsync(events);
        await pipeline.ProcessAllAsync();
        return await pipeline.CanonicalProfilesAsync();
    }
}
