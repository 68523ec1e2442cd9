using System.Globalization;
using System.Text;

namespace Sluice.Audiences;

/// <summary>
/// How a profile's document, its account's pending changes and the change feed name an audience: by its number in the
/// account (<see cref="Audience.Number"/>, written in decimal: "7"), or, for memberships recorded before audiences
/// were numbered, by its id (<see cref="AudienceIds.Length"/> hex characters; no number is ever that long). A number
/// costs one or two bytes where an id costs sixteen, and every profile lists its memberships and every feed entry
/// names them: with 20 audiences that was about 150 bytes a document, written at every checkpoint. Ids stay the
/// public face: readers of documents and of the feed turn tokens back into ids (<see cref="AudienceNumbering"/>).
/// </summary>
internal static class AudienceTokens
{
    private static readonly string[] Small = [.. Enumerable.Range(0, 1024).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The token of an audience number; the first thousand are shared strings, so a token allocates nothing.</summary>
    public static string Of(int number) =>
        (uint)number < (uint)Small.Length ? Small[number] : number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a token is an id (a membership recorded before numbering) rather than a number.</summary>
    public static bool IsId(string token) => token.Length == AudienceIds.Length;

    /// <summary>The number a token stands for; false for an id.</summary>
    public static bool TryNumber(string token, out int number)
    {
        number = 0;
        return !IsId(token) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>
    /// Reads a token written by <see cref="BinaryWriter.Write(string)"/>. A number below a thousand and twenty-four comes
    /// back as its shared string with no lookup (every decoded profile reads one per membership); anything else (an id
    /// written before numbering) is read as it is.
    /// </summary>
    public static string Read(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length is < 1 or > 4) return Encoding.UTF8.GetString(r.ReadBytes(length));
        Span<byte> bytes = stackalloc byte[length];
        r.BaseStream.ReadExactly(bytes);
        var number = 0;
        foreach (var b in bytes)
        {
            if (b is < (byte)'0' or > (byte)'9') return Encoding.UTF8.GetString(bytes);
            number = number * 10 + (b - '0');
        }
        return number < Small.Length && (length == 1 || bytes[0] != '0') ? Small[number] : Encoding.UTF8.GetString(bytes);
    }
}
