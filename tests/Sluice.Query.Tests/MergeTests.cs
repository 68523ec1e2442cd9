using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class MergeTests
{
    private static FieldValue S(string s, long t) => FieldValue.Create(Value.FromString(s), t);

    private static FieldValue L(long n, long t) => FieldValue.Create(Value.FromLong(n), t);

    private static FieldValue D(double n, long t) => FieldValue.Create(Value.FromDouble(n), t);

    [Fact]
    public void Latest_keeps_the_greatest_event_time_not_the_last_arrival()
    {
        var merged = FieldValue.Merge(MergeOp.Latest, S("new", 200), S("old", 100));
        Assert.Equal(S("new", 200), merged);
    }

    [Fact]
    public void Latest_tie_goes_to_the_greater_value_either_way_round()
    {
        Assert.Equal("b", FieldValue.Merge(MergeOp.Latest, S("a", 5), S("b", 5)).Value.ToString());
        Assert.Equal("b", FieldValue.Merge(MergeOp.Latest, S("b", 5), S("a", 5)).Value.ToString());
    }

    [Fact]
    public void Oldest_keeps_the_smallest_event_time()
    {
        Assert.Equal(S("first", 1), FieldValue.Merge(MergeOp.Oldest, S("later", 9), S("first", 1)));
        Assert.Equal("b", FieldValue.Merge(MergeOp.Oldest, S("a", 5), S("b", 5)).Value.ToString());
    }

    [Fact]
    public void Set_is_a_sorted_distinct_union()
    {
        var a = FieldValue.Create(Value.FromList(["b", "a"]), 1);
        var b = FieldValue.Create(Value.FromList(["c", "a"]), 3);
        var merged = FieldValue.Merge(MergeOp.Set, a, b);
        Assert.Equal(["a", "b", "c"], merged.Value.AsList());
        Assert.Equal(3, merged.EventTime);
    }

    [Fact]
    public void Set_of_a_single_scalar_event_is_a_one_item_list()
    {
        var merged = FieldValue.Merge(MergeOp.Set, null, S("x", 1));
        Assert.Equal(["x"], merged.Value.AsList());
    }

    [Fact]
    public void Set_keeps_the_smallest_items_when_capped()
    {
        var big = FieldValue.Create(Value.FromList(Enumerable.Range(0, FieldMerge.MaxSetItems).Select(i => $"k{i:D5}")), 1);
        var merged = FieldValue.Merge(MergeOp.Set, big, S("a-first", 2));
        Assert.Equal(FieldMerge.MaxSetItems, merged.Value.AsList().Count);
        Assert.Equal("a-first", merged.Value.AsList()[0]);
    }

    [Fact]
    public void Count_adds_counts()
    {
        var merged = FieldValue.Merge(MergeOp.Count, L(2, 1), L(3, 2));
        Assert.Equal(5, merged.Value.AsLong());
        Assert.Equal(1, FieldValue.Merge(MergeOp.Count, null, S("anything", 1)).Value.AsLong());
    }

    [Fact]
    public void Sum_adds_exactly()
    {
        Assert.Equal(Value.FromLong(5), FieldValue.Merge(MergeOp.Sum, L(2, 1), L(3, 2)).Value);
        Assert.Equal(0.3, FieldValue.Merge(MergeOp.Sum, D(0.1, 1), D(0.2, 2)).Value.AsDouble());
        Assert.Equal(Value.FromDouble(2.5), FieldValue.Merge(MergeOp.Sum, L(2, 1), S("0.5", 2)).Value);
    }

    [Fact]
    public void Min_and_max_compare_values_not_times()
    {
        Assert.Equal(Value.FromLong(2), FieldValue.Merge(MergeOp.Min, L(2, 9), L(3, 1)).Value);
        Assert.Equal(Value.FromLong(3), FieldValue.Merge(MergeOp.Max, L(2, 9), L(3, 1)).Value);
        Assert.Equal(9, FieldValue.Merge(MergeOp.Max, L(2, 9), L(3, 1)).EventTime);
        var early = FieldValue.Create(Value.FromDate(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)), 5);
        var late = FieldValue.Create(Value.FromDate(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)), 1);
        Assert.Equal(early.Value, FieldValue.Merge(MergeOp.Min, late, early).Value);
    }

    [Fact]
    public void Maps_merge_key_by_key_with_their_own_times()
    {
        var a = FieldValue.Create(Value.FromStringMap([KeyValuePair.Create("x", "a1"), KeyValuePair.Create("y", "a2")]), 10);
        var b = FieldValue.Create(Value.FromStringMap([KeyValuePair.Create("x", "b1")]), 20);
        var c = FieldValue.Create(Value.FromStringMap([KeyValuePair.Create("y", "c2")]), 15);
        var merged = FieldValue.Merge(MergeOp.Latest, FieldValue.Merge(MergeOp.Latest, a, b), c);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "b1", ["y"] = "c2" }, merged.Value.AsStringMap());
        Assert.Equal(new Dictionary<string, long> { ["x"] = 20, ["y"] = 15 }, merged.KeyTimes);
        Assert.Equal(20, merged.EventTime);
    }

    [Fact]
    public void Int_maps_sum_per_key()
    {
        var a = FieldValue.Create(Value.FromIntMap([KeyValuePair.Create("x", 1L), KeyValuePair.Create("y", 2L)]), 1);
        var b = FieldValue.Create(Value.FromIntMap([KeyValuePair.Create("x", 5L)]), 2);
        var merged = FieldValue.Merge(MergeOp.Sum, a, b);
        Assert.Equal(new Dictionary<string, long> { ["x"] = 6, ["y"] = 2 }, merged.Value.AsIntMap());
    }

    [Fact]
    public void Time_maps_keep_the_max_per_key()
    {
        var t1 = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var a = FieldValue.Create(Value.FromTimeMap([KeyValuePair.Create("open", t1.AddDays(3))]), 1);
        var b = FieldValue.Create(Value.FromTimeMap([KeyValuePair.Create("open", t1), KeyValuePair.Create("click", t1)]), 2);
        var merged = FieldValue.Merge(MergeOp.Max, a, b);
        Assert.Equal(t1.AddDays(3), merged.Value.AsTimeMap()["open"]);
        Assert.Equal(t1, merged.Value.AsTimeMap()["click"]);
    }

    [Fact]
    public void Merging_profiles_uses_each_fields_operator()
    {
        var a = new Dictionary<string, FieldValue> { ["name"] = S("Ann", 5), ["visits"] = L(2, 5), ["only_a"] = S("x", 1) };
        var b = new Dictionary<string, FieldValue> { ["name"] = S("Annie", 9), ["visits"] = L(3, 7) };
        var ops = new Dictionary<string, MergeOp> { ["visits"] = MergeOp.Count };
        var merged = FieldMerge.MergeProfiles(a, b, ops);
        Assert.Equal("Annie", merged["name"].Value.ToString());
        Assert.Equal(5, merged["visits"].Value.AsLong());
        Assert.Equal("x", merged["only_a"].Value.ToString());
    }

    [Fact]
    public void Total_order_separates_long_and_double_of_the_same_number()
    {
        Assert.True(Value.FromLong(1) < Value.FromDouble(1.0));
        Assert.True(Value.FromLong(long.MaxValue) < Value.FromDouble(9.2233720368547758E18));
        Assert.True(Value.FromLong(long.MaxValue - 1) < Value.FromLong(long.MaxValue));
        Assert.NotEqual(Value.FromLong(1), Value.FromDouble(1.0));
    }
}
