using CsCheck;
using Sluice.Query.Values;

namespace Sluice.Query.Tests;

/// <summary>
/// A profile must not depend on the order events arrive in, nor on how partial profiles were merged.
/// These properties fold random multisets of field values in random orders and random groupings.
/// </summary>
public class MergePropertyTests
{
    private static readonly string[] Words = ["a", "b", "B", "c", "ab", "é", ""];
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Few distinct times and values, so that ties and duplicates are common.
    private static readonly Gen<long> Time = Gen.Long[0, 4];

    private static readonly Gen<Value> Scalar = Gen.OneOf(
        Gen.OneOf(Words).Select(Value.FromString),
        Gen.Long[-3, 3].Select(Value.FromLong),
        Gen.Int[-12, 12].Select(i => Value.FromDouble(i / 4.0)),
        Gen.Bool.Select(Value.FromBool),
        Gen.Int[0, 3].Select(d => Value.FromDate(Epoch.AddDays(d))));

    private static readonly Gen<Value> Money = Gen.OneOf(
        Gen.Long[-1000, 1000].Select(Value.FromLong),
        Gen.Int[-100_000, 100_000].Select(c => Value.FromDouble(c / 100.0)),
        Gen.Int[-500, 500].Select(c => Value.FromString((c / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static readonly Gen<Value> Items = Gen.OneOf(
        Gen.OneOf(Words).Array[0, 4].Select(w => Value.FromList(w)),
        Gen.OneOf(Words).Select(Value.FromString));

    private static readonly Gen<string> Key = Gen.OneOf("k1", "k2", "k3");

    private static Gen<Value> MapOf(ValueKind kind) => kind switch
    {
        ValueKind.StringMap => Gen.Select(Key, Gen.OneOf(Words), KeyValuePair.Create).Array[1, 3].Select(e => Value.FromStringMap(e)),
        ValueKind.IntMap => Gen.Select(Key, Gen.Long[-5, 5], KeyValuePair.Create).Array[1, 3].Select(e => Value.FromIntMap(e)),
        _ => Gen.Select(Key, Gen.Int[0, 3].Select(d => Epoch.AddDays(d)), KeyValuePair.Create).Array[1, 3].Select(e => Value.FromTimeMap(e)),
    };

    private static Gen<Value> ValuesFor(MergeOp op) => op switch
    {
        MergeOp.Sum => Money,
        MergeOp.Set => Items,
        MergeOp.Count => Gen.OneOf(Gen.Long[0, 5].Select(Value.FromLong), Gen.OneOf(Words).Select(Value.FromString)),
        _ => Scalar,
    };

    private static Gen<(MergeOp Op, FieldValue[] Values, int Seed)> Cases(Func<MergeOp, Gen<Value>> values) =>
        from op in Gen.Enum<MergeOp>()
        from list in Gen.Select(values(op), Time, FieldValue.Create).Array[1, 12]
        from seed in Gen.Int
        select (op, list, seed);

    private static FieldValue Fold(MergeOp op, IEnumerable<FieldValue> values)
    {
        FieldValue? state = null;
        foreach (var value in values)
        {
            state = FieldValue.Merge(op, state, value);
        }

        return state!;
    }

    /// <summary>Splits the values into random groups (partial profiles), folds each, then merges the groups in random order.</summary>
    private static FieldValue FoldGrouped(MergeOp op, FieldValue[] values, Random random)
    {
        var shuffled = values.OrderBy(_ => random.Next()).ToList();
        var groups = new List<FieldValue>();
        var i = 0;
        while (i < shuffled.Count)
        {
            var size = random.Next(1, shuffled.Count - i + 1);
            groups.Add(Fold(op, shuffled.Skip(i).Take(size)));
            i += size;
        }

        // Merge partial results pairwise at random positions, like profiles merging into each other.
        while (groups.Count > 1)
        {
            var a = random.Next(groups.Count);
            var left = groups[a];
            groups.RemoveAt(a);
            var b = random.Next(groups.Count);
            groups[b] = random.Next(2) == 0 ? FieldValue.Merge(op, left, groups[b]) : FieldValue.Merge(op, groups[b], left);
        }

        return groups[0];
    }

    private static void AssertOrderIndependent((MergeOp Op, FieldValue[] Values, int Seed) c)
    {
        var random = new Random(c.Seed);
        var expected = Fold(c.Op, c.Values);
        var reversed = Fold(c.Op, c.Values.Reverse());
        var shuffled = Fold(c.Op, c.Values.OrderBy(_ => random.Next()));
        var grouped = FoldGrouped(c.Op, c.Values, random);
        Assert.Equal(expected, reversed);
        Assert.Equal(expected, shuffled);
        Assert.Equal(expected, grouped);
        // And the state survives the store's JSON round trip unchanged.
        Assert.Equal(expected, FieldValue.FromJson(expected.ToJson()));
    }

    [Fact]
    public void Scalar_merges_do_not_depend_on_order_or_grouping() =>
        Cases(ValuesFor).Sample(AssertOrderIndependent, iter: 3000);

    [Fact]
    public void Map_merges_do_not_depend_on_order_or_grouping() =>
        Gen.OneOf(ValueKind.StringMap, ValueKind.IntMap, ValueKind.TimeMap)
            .SelectMany(kind => Cases(_ => MapOf(kind)))
            .Sample(AssertOrderIndependent, iter: 2000);

    [Fact]
    public void Merging_two_profiles_equals_folding_all_their_events_into_one()
    {
        var fields = new[] { ("name", MergeOp.Latest), ("first", MergeOp.Oldest), ("tags", MergeOp.Set), ("visits", MergeOp.Count), ("spent", MergeOp.Sum), ("low", MergeOp.Min), ("high", MergeOp.Max) };
        var ops = fields.ToDictionary(f => f.Item1, f => f.Item2);
        var events =
            from field in Gen.OneOf(fields)
            from value in ValuesFor(field.Item2)
            from time in Time
            select (Field: field.Item1, State: FieldValue.Create(value, time));
        var gen = from all in events.Array[0, 20]
                  from split in Gen.Int[0, 20]
                  select (all, split);

        gen.Sample(c =>
        {
            var (all, split) = c;
            var cut = Math.Min(split, all.Length);
            var a = Profile(all.Take(cut), ops);
            var b = Profile(all.Skip(cut), ops);
            var single = Profile(all, ops);
            Assert.Equal(single, FieldMerge.MergeProfiles(a, b, ops));
            Assert.Equal(single, FieldMerge.MergeProfiles(b, a, ops));
        }, iter: 1000);
    }

    private static SortedDictionary<string, FieldValue> Profile(IEnumerable<(string Field, FieldValue State)> events, Dictionary<string, MergeOp> ops)
    {
        var profile = new SortedDictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (field, state) in events)
        {
            profile[field] = FieldValue.Merge(ops[field], profile.GetValueOrDefault(field), state);
        }

        return profile;
    }
}
