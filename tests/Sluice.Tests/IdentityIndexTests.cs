using Sluice.Processing;

namespace Sluice.Tests;

/// <summary>
/// The identity index keeps its values as bytes in its own hash table: it must answer exactly like a dictionary keyed
/// by (account, name, value), for values that share a hash, differ by one code unit, hold lone surrogates or are long.
/// </summary>
public sealed class IdentityIndexTests
{
    [Fact]
    public void Random_sets_updates_and_removals_answer_like_a_dictionary()
    {
        var random = new Random(11);
        var index = new IdentityIndex();
        var model = new Dictionary<(string, string, string), IdentityRow>();
        string[] accounts = ["acc_a", "acc_b", "acc_c"];
        string[] names = ["email", "user_id", "braze_id"];
        var values = Enumerable.Range(0, 3_000).Select(Value).ToArray();

        for (var step = 0; step < 60_000; step++)
        {
            var key = (accounts[random.Next(accounts.Length)], names[random.Next(names.Length)], values[random.Next(values.Length)]);
            // One step in five removes (a tombstone); the rest set a row.
            var row = random.Next(5) == 0 ? default : new IdentityRow(random.Next(1, 1_000_000), random.Next(0, 5));
            index.Set(new IdentityEntry(key.Item1, key.Item2, key.Item3, row));
            if (row.ProfileId == 0) model.Remove(key);
            else model[key] = row;
        }

        Assert.Equal(model.Count, index.Count);
        foreach (var a in accounts)
        {
            foreach (var n in names)
            {
                foreach (var v in values)
                {
                    var found = index.TryGet(a, n, v, out var row);
                    Assert.Equal(model.TryGetValue((a, n, v), out var expected), found);
                    Assert.Equal(expected, row);
                }
            }
        }
        Assert.Equal(
            model.Select(kv => $"{kv.Key.Item1}|{kv.Key.Item2}|{kv.Key.Item3}|{kv.Value}").Order(StringComparer.Ordinal),
            index.Snapshot().Select(e => $"{e.AccountId}|{e.Name}|{e.Value}|{e.Row}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_lone_surrogate_and_its_replacement_character_are_different_values()
    {
        var index = new IdentityIndex();
        index.Set(new IdentityEntry("acc", "user_id", "a\uD800b", new IdentityRow(1, 0)));
        index.Set(new IdentityEntry("acc", "user_id", "a\uFFFDb", new IdentityRow(2, 0)));
        index.Set(new IdentityEntry("acc", "user_id", "a\uDC00b", new IdentityRow(3, 0)));

        Assert.Equal(3, index.Count);
        Assert.True(index.TryGet("acc", "user_id", "a\uD800b", out var lone));
        Assert.Equal(1, lone.ProfileId);
        Assert.True(index.TryGet("acc", "user_id", "a\uFFFDb", out var replacement));
        Assert.Equal(2, replacement.ProfileId);
        Assert.Equal(["a\uD800b", "a\uDC00b", "a\uFFFDb"], index.Snapshot().Select(e => e.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_value_under_another_account_or_key_name_is_another_entry()
    {
        var index = new IdentityIndex();
        index.Set(new IdentityEntry("acc_1", "email", "x@example.com", new IdentityRow(1, 0)));
        index.Set(new IdentityEntry("acc_1", "user_id", "x@example.com", new IdentityRow(2, 0)));
        index.Set(new IdentityEntry("acc_2", "email", "x@example.com", new IdentityRow(3, 0)));

        Assert.True(index.TryGet("acc_1", "email", "x@example.com", out var a));
        Assert.True(index.TryGet("acc_1", "user_id", "x@example.com", out var b));
        Assert.True(index.TryGet("acc_2", "email", "x@example.com", out var c));
        Assert.False(index.TryGet("acc_2", "user_id", "x@example.com", out _));
        Assert.Equal([1L, 2L, 3L], [a.ProfileId, b.ProfileId, c.ProfileId]);
        Assert.Equal([("acc_1", "email", "x@example.com")], index.EntriesOf("acc_1", 1).Select(e => (e.AccountId, e.Name, e.Value)));
        Assert.Empty(index.EntriesOf("acc_2", 1));
    }

    [Fact]
    public void Long_values_and_many_removals_keep_every_other_entry()
    {
        var index = new IdentityIndex();
        var big = new string('v', 200_000);
        index.Set(new IdentityEntry("acc", "user_id", big, new IdentityRow(7, 0)));
        // Enough removed bytes that the index reclaims them, moving every key it keeps.
        for (var i = 0; i < 40_000; i++) index.Set(new IdentityEntry("acc", "email", Email(i), new IdentityRow(i + 10, 0)));
        for (var i = 0; i < 40_000; i++)
        {
            if (i % 4 != 0) index.Set(new IdentityEntry("acc", "email", Email(i), default));
        }

        Assert.Equal(10_001, index.Count);
        Assert.True(index.TryGet("acc", "user_id", big, out var row));
        Assert.Equal(7, row.ProfileId);
        for (var i = 0; i < 40_000; i++)
        {
            Assert.Equal(i % 4 == 0, index.TryGet("acc", "email", Email(i), out var r));
            if (i % 4 == 0) Assert.Equal(i + 10, r.ProfileId);
        }
    }

    private static string Email(int i) => $"{i}-{new string('x', 200)}@example.com";

    private static string Value(int i) => (i % 10) switch
    {
        0 => $"{i}\uD83D",
        1 => $"São Paulo {i}",
        2 => new string('z', 300 + i % 50) + i,
        3 => "",
        _ => $"user{i}@example.com",
    };
}
