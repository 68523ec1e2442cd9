using System.Collections.Concurrent;
using System.Text;

namespace Sluice.Profiles;

/// <summary>
/// Names that repeat in every profile (field names, identity keys, stream names), decoded to one shared string each
/// instead of a new one per profile read. The processor decodes thousands of profiles per second and keeps a batch's
/// worth alive, so this takes a good part of the allocations and of the memory out. Bounded, so that a tenant
/// sending ever-new field names cannot grow it without limit.
/// </summary>
internal static class ProfileNames
{
    private const int MaxNames = 100_000;
    private const int MaxBytes = 256;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Pool.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads a string written by <see cref="BinaryWriter.Write(string)"/>, shared when it is a known name.</summary>
    public static string Read(BinaryReader r)
    {
        var byteCount = r.Read7BitEncodedInt();
        if (byteCount > MaxBytes) return Encoding.UTF8.GetString(r.ReadBytes(byteCount));
        Span<byte> bytes = stackalloc byte[byteCount];
        r.BaseStream.ReadExactly(bytes);
        Span<char> chars = stackalloc char[byteCount];
        var name = chars[..Encoding.UTF8.GetChars(bytes, chars)];
        if (ByChars.TryGetValue(name, out var shared)) return shared;
        var fresh = new string(name);
        return Pool.Count < MaxNames ? Pool.GetOrAdd(fresh, fresh) : fresh;
    }
}
