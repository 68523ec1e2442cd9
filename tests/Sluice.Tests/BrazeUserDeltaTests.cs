using System.Text.Json.Nodes;
using Sluice.Export;
using Sluice.Export.Braze;

namespace Sluice.Tests;

/// <summary>A user's delta is the difference between what Braze was last told and what the profile holds now, under the right identifier.</summary>
public sealed class BrazeUserDeltaTests
{
    private static readonly Dictionary<string, JsonNode?> NoFields = [];

    private static string Show(UserDelta d) =>
        string.Join(" | ", d.Objects.Select(o => $"{o.Identifier} +[{string.Join(",", o.Add)}] -[{string.Join(",", o.Remove)}]"));

    [Fact]
    public void A_first_export_adds_every_value()
    {
        var d = UserDelta.Compute(null, "u1", ["lytics_all", "lytics_new"], NoFields);
        Assert.Equal("u1 +[lytics_all,lytics_new] -[]", Show(d));
        Assert.Equal(new ToldState("u1", ["lytics_all", "lytics_new"]), d.Told, new ToldComparer());
    }

    [Fact]
    public void An_unchanged_membership_sends_nothing()
    {
        var d = UserDelta.Compute(new ToldState("u1", ["lytics_all"]), "u1", ["lytics_all"], NoFields);
        Assert.Empty(d.Objects);
    }

    [Fact]
    public void Only_the_difference_is_sent()
    {
        var d = UserDelta.Compute(new ToldState("u1", ["lytics_all", "lytics_new"]), "u1", ["lytics_all", "lytics_known"], NoFields);
        Assert.Equal("u1 +[lytics_known] -[lytics_new]", Show(d));
    }

    [Fact]
    public void A_changed_identifier_removes_everything_from_the_old_user_and_adds_it_to_the_new()
    {
        var d = UserDelta.Compute(new ToldState("old", ["lytics_all"]), "new", ["lytics_all"], NoFields);
        Assert.Equal("old +[] -[lytics_all] | new +[lytics_all] -[]", Show(d));
    }

    [Fact]
    public void A_profile_that_is_gone_has_its_values_removed_and_is_forgotten()
    {
        var d = UserDelta.Compute(new ToldState("u1", ["lytics_all", "lytics_known"]), null, [], NoFields);
        Assert.Equal("u1 +[] -[lytics_all,lytics_known]", Show(d));
        Assert.Null(d.Told);
    }

    [Fact]
    public void After_a_restart_a_non_member_told_nothing_has_its_array_emptied_only_on_an_existing_user()
    {
        var d = UserDelta.Compute(null, "u1", [], NoFields, reassert: true, mayHoldUnsaved: true);
        var o = Assert.Single(d.Objects);
        Assert.True(o.Replace);
        Assert.True(o.UpdateExistingOnly);
        Assert.Empty(o.Add);
        Assert.Null(d.Told);
        var json = o.ToJson(new BrazeExportConfig("braze_id", "external_id", ["all"], false, "lytics_segments", "lytics_", new Dictionary<string, string>(), 75, 1000, 25)).ToJsonString();
        Assert.Contains("\"lytics_segments\":[]", json, StringComparison.Ordinal);
        Assert.Contains("\"_update_existing_only\":true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reconcile_sends_nothing_for_a_non_member_told_nothing()
    {
        var d = UserDelta.Compute(null, "u1", [], NoFields, reassert: true);
        Assert.Empty(d.Objects);
    }

    [Fact]
    public void A_member_without_an_identifier_is_skipped_and_owes_nothing()
    {
        var d = UserDelta.Compute(null, null, ["lytics_all"], NoFields);
        Assert.Empty(d.Objects);
        Assert.True(d.SkippedNoId);
        Assert.Null(d.Told);
    }

    [Fact]
    public void The_object_has_Braze_shape_with_the_identifier_type_and_attribute_name()
    {
        var config = BrazeExportConfig.Parse(new JsonObject { ["segment_ids"] = new JsonArray("all"), ["identifier_type"] = "user_alias", ["external_id_field"] = "email" }, out _)!;
        var o = new BrazeUserObject("a@b.co", ["lytics_all"], ["lytics_new"], new Dictionary<string, JsonNode?> { ["city"] = "Oslo" });
        Assert.Equal("""{"user_alias":{"alias_name":"a@b.co","alias_label":"email"},"lytics_segments":{"add":["lytics_all"],"remove":["lytics_new"]},"city":"Oslo"}""", o.ToJson(config).ToJsonString());
    }

    [Fact]
    public void Two_objects_for_one_user_in_a_step_become_one_where_the_live_addition_wins()
    {
        var gone = new BrazeUserObject("b", [], ["lytics_all"], NoFields);
        var survivor = new BrazeUserObject("b", ["lytics_all", "lytics_oslo"], [], NoFields);
        var other = new BrazeUserObject("a", [], ["lytics_all", "lytics_oslo"], NoFields);

        var merged = BrazeUserObject.Coalesce([gone, other, survivor]);

        Assert.Same(merged[gone], merged[survivor]);
        Assert.Same(other, merged[other]);
        Assert.Equal(["lytics_all", "lytics_oslo"], merged[gone].Add);
        Assert.Empty(merged[gone].Remove);
    }

    private sealed class ToldComparer : IEqualityComparer<ToldState?>
    {
        public bool Equals(ToldState? x, ToldState? y) => x is null ? y is null : y is not null && x.Identifier == y.Identifier && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(ToldState? obj) => obj?.Identifier.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
