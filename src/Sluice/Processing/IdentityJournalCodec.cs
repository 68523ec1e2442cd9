using System.Text;

namespace Sluice.Processing;

/// <summary>
/// The binary form of a batch of identity journal entries: per entry the account id, key name and value as
/// length-prefixed UTF-8, then the profile id and link count as 7-bit encoded integers. Account ids and key names
/// repeat on nearly every entry, so decoding shares one string instance for each.
/// </summary>
internal static class IdentityJournalCodec
{
    public static byte[] Encode(IReadOnlyCollection<IdentityEntry> entries)
    {
        using var buffer = new MemoryStream(entries.Count * 48);
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                w.Write(e.AccountId);
                w.Write(e.Name);
                w.Write(e.Value);
                w.Write7BitEncodedInt64(e.Row.ProfileId);
                w.Write7BitEncodedInt64(e.Row.Links);
            }
        }
        return buffer.ToArray();
    }

    public static void Decode(byte[] blob, Dictionary<string, string> shared, Action<IdentityEntry> apply)
    {
        using var r = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.UTF8);
        while (r.BaseStream.Position < blob.Length)
        {
            var account = Shared(shared, r.ReadString());
            var name = Shared(shared, r.ReadString());
            var value = r.ReadString();
            apply(new IdentityEntry(account, name, value, new IdentityRow(r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64())));
        }
    }

    private static string Shared(Dictionary<string, string> pool, string s)
    {
        if (pool.TryGetValue(s, out var shared)) return shared;
        pool[s] = s;
        return s;
    }
}
