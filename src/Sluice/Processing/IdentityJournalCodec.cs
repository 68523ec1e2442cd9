using System.Text;

namespace Sluice.Processing;

/// <summary>
/// The binary form of a batch of identity journal entries: first the distinct (account id, key name) pairs, then per
/// entry the pair's number, the value as length-prefixed UTF-8, and the profile id and link count as 7-bit encoded
/// integers. Accounts and key names repeat on nearly every entry, so each is written (and decoded) once per batch.
/// </summary>
internal static class IdentityJournalCodec
{
    public static byte[] Encode(IReadOnlyList<IdentityEntry> entries) => Encode(entries, 0, entries.Count);

    /// <summary>Encodes <paramref name="count"/> entries from <paramref name="start"/>, where they lie in the list.</summary>
    public static byte[] Encode(IReadOnlyList<IdentityEntry> all, int start, int count)
    {
        var entries = new ListSlice(all, start, count);
        var pairs = new Dictionary<(string Account, string Name), int>();
        foreach (var e in entries) pairs.TryAdd((e.AccountId, e.Name), pairs.Count);

        using var buffer = new MemoryStream(count * 32);
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write7BitEncodedInt(pairs.Count);
            foreach (var ((account, name), _) in pairs.OrderBy(p => p.Value))
            {
                w.Write(account);
                w.Write(name);
            }
            foreach (var e in entries)
            {
                w.Write7BitEncodedInt(pairs[(e.AccountId, e.Name)]);
                w.Write(e.Value);
                w.Write7BitEncodedInt64(e.Row.ProfileId);
                w.Write7BitEncodedInt64(e.Row.Links);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Applies every entry in order; returns how many there were.</summary>
    public static long Decode(byte[] blob, Dictionary<string, string> shared, Action<IdentityEntry> apply)
    {
        using var r = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.UTF8);
        var pairs = new (string Account, string Name)[r.Read7BitEncodedInt()];
        for (var i = 0; i < pairs.Length; i++) pairs[i] = (Shared(shared, r.ReadString()), Shared(shared, r.ReadString()));
        long count = 0;
        while (r.BaseStream.Position < blob.Length)
        {
            var (account, name) = pairs[r.Read7BitEncodedInt()];
            var value = r.ReadString();
            apply(new IdentityEntry(account, name, value, new IdentityRow(r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64())));
            count++;
        }
        return count;
    }

    private static string Shared(Dictionary<string, string> pool, string s)
    {
        if (pool.TryGetValue(s, out var shared)) return shared;
        pool[s] = s;
        return s;
    }
}

/// <summary>A run of a list's items, enumerated where they lie (no copy).</summary>
internal readonly struct ListSlice(IReadOnlyList<IdentityEntry> list, int start, int count)
{
    public Enumerator GetEnumerator() => new(list, start, start + count);

    internal struct Enumerator(IReadOnlyList<IdentityEntry> list, int at, int end)
    {
        private int _at = at - 1;

        public readonly IdentityEntry Current => list[_at];

        public bool MoveNext() => ++_at < end;
    }
}
