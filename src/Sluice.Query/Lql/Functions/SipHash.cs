using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Sluice.Query.Values;

namespace Sluice.Query.Lql.Functions;

/// <summary>
/// <c>hash.sip(x)</c> (also <c>hash(x)</c>): SipHash-2-4 of the text with the key qlbridge uses (0, 1), as a signed
/// 64-bit number, so that values hashed by Lytics and by Sluice agree. A list hashes its first item.
/// </summary>
internal static class SipHash
{
    public static Value Hash(Value value)
    {
        var text = value.Kind switch
        {
            ValueKind.Null => null,
            ValueKind.StringList => value.ListArray.Length == 0 ? null : value.ListArray[0],
            _ => value.ToString(),
        };
        return string.IsNullOrEmpty(text) ? Value.Null : Value.FromLong(unchecked((long)Compute(0, 1, Encoding.UTF8.GetBytes(text))));
    }

    /// <summary>SipHash-2-4 (Aumasson and Bernstein): two compression rounds per 8-byte word, four to finish.</summary>
    public static ulong Compute(ulong k0, ulong k1, ReadOnlySpan<byte> data)
    {
        var v0 = k0 ^ 0x736f6d6570736575UL;
        var v1 = k1 ^ 0x646f72616e646f6dUL;
        var v2 = k0 ^ 0x6c7967656e657261UL;
        var v3 = k1 ^ 0x7465646279746573UL;
        var whole = data.Length - (data.Length % 8);
        for (var i = 0; i < whole; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }
        var last = (ulong)data.Length << 56;
        for (var i = whole; i < data.Length; i++) last |= (ulong)data[i] << (8 * (i - whole));
        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++) Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
