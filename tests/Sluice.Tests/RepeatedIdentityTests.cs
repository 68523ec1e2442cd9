using System.Text.Json.Nodes;

namespace Sluice.Tests;

/// <summary>
/// An event may carry one identity value twice (a list with a repeated item). Its first copy joins the profile and the
/// second finds it there: one profile, the value held once, one journal entry for it, and later events find it.
/// </summary>
public sealed class RepeatedIdentityTests
{
    private const string Mapping = "SELECT ids AS ids KIND []string, name AS name FROM app INTO user BY ids";

    [Fact]
    public async Task A_value_repeated_within_one_event_joins_its_profile_once()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 10, new Dictionary<string, string> { ["app"] = Mapping });
        await pipeline.AppendAsync([
            ("app", 1_700_000_000_000L, """{"ids":["a","a","b","a"],"name":"first"}"""),
            ("app", 1_700_000_000_001L, """{"ids":["c","c"],"name":"other"}"""),
            ("app", 1_700_000_000_002L, """{"ids":["b"],"name":"second"}"""),
        ]);
        await pipeline.ProcessAllAsync();

        var profiles = (await pipeline.CanonicalProfilesAsync()).Select(p => JsonNode.Parse(p)!).ToList();
        Assert.Equal(2, profiles.Count);
        var values = profiles.Select(p => p["_identities"]!["ids"]!.AsArray().Select(v => (string)v!).ToList()).OrderBy(v => v[0], StringComparer.Ordinal).ToList();
        Assert.Equal(["a", "b"], values[0]);
        Assert.Equal(["c"], values[1]);
        var first = profiles.Single(p => p["_identities"]!["ids"]!.AsArray().Count == 2);
        Assert.Equal("second", (string?)first["name"]);

        // Reloaded from the journal, the values still point where they did.
        pipeline.State.Invalidate();
        await pipeline.AppendAsync([("app", 1_700_000_000_003L, """{"ids":["a","c"],"name":"both"}""")]);
        await pipeline.ProcessAllAsync();
        Assert.Single(await pipeline.CanonicalProfilesAsync());
    }
}
