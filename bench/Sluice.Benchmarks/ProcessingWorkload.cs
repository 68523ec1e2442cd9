using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Benchmarks;

/// <summary>
/// A synthetic account: people who arrive through the Braze webhook (email + braze_id), Braze segment exports
/// (user_id + Braze ID + email) and the brand's app (user_id). For most people the export row comes first and the
/// rest joins their profile; for a fraction, app and webhook events come first and build two profiles that the
/// export row later merges.
/// </summary>
internal static class ProcessingWorkload
{
    public const string AppMapping = """
        SELECT user_id, set(event) AS events, count(event) AS event_count, max(todate(ts)) AS last_seen
        FROM app INTO user BY user_id ALIAS app_events
        """;

    private static readonly string[] Cities = ["AnyTown", "Lyon", "São Paulo", "Osaka", "Leeds"];
    private static readonly string[] AppEvents = ["login", "view", "purchase", "share"];

    public static List<(string Stream, long TimeMs, string Json)> Generate(int events, int people, double mergeFraction, int seed)
    {
        var random = new Random(seed);
        var all = new List<(long Slot, int Order, string Stream, string Json)>(events + people);
        var appPerPerson = Math.Max(0, (events - 2 * people) / (double)people);
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        for (var p = 0; p < people; p++)
        {
            var merge = random.NextDouble() < mergeFraction;
            var list = new List<(string, string)>();
            var apps = (int)appPerPerson + (random.NextDouble() < appPerPerson - (int)appPerPerson ? 1 : 0);
            var export = ("braze_segment_export", Export(p, random));
            var webhook = ("braze_users", Webhook(p, random));
            if (merge)
            {
                list.Add(("app", App(p, random, start)));
                list.Add(webhook);
                list.Add(export);
                apps--;
            }
            else
            {
                list.Add(export);
                list.Add(webhook);
            }
            for (var i = 0; i < apps; i++) list.Add(("app", App(p, random, start)));
            // Each person's events keep their order; people interleave at random.
            var slots = Enumerable.Range(0, list.Count).Select(_ => (long)random.Next(0, 86_400_000)).Order().ToArray();
            for (var i = 0; i < list.Count; i++) all.Add((slots[i], p, list[i].Item1, list[i].Item2));
        }
        return [.. all.OrderBy(e => e.Slot).ThenBy(e => e.Order).Take(events).Select(e => (e.Stream, start + e.Slot, e.Json))];
    }

    private static string Export(int p, Random r) => new JsonObject
    {
        ["user_id"] = $"user-{p}",
        ["Braze ID"] = $"braze{p:x8}",
        ["email"] = $"person{p}@example.com",
        ["first_name"] = $"First{p % 997}",
        ["last_name"] = $"Last{p % 1009}",
        ["country"] = "US",
        ["city"] = Cities[r.Next(Cities.Length)],
        ["random_bucket"] = r.Next(10_000).ToString(CultureInfo.InvariantCulture),
        ["created_at"] = "2024-05-01T12:00:00Z",
    }.ToJsonString();

    private static string Webhook(int p, Random r) => new JsonObject
    {
        ["email"] = $"Person{p}@Example.com",
        ["braze_id"] = $"braze{p:x8}",
        ["first_name"] = $"First{p % 997}",
        ["city"] = Cities[r.Next(Cities.Length)],
        ["language"] = "en",
        ["date_of_birth"] = "19820101",
        ["phone_number"] = "5551231234",
    }.ToJsonString();

    private static string App(int p, Random r, long start) => new JsonObject
    {
        ["user_id"] = $"user-{p}",
        ["event"] = AppEvents[r.Next(AppEvents.Length)],
        ["ts"] = DateTimeOffset.FromUnixTimeMilliseconds(start + r.Next(86_400_000)).ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();
}
