using System.Security.Cryptography;

namespace Sluice.Audiences;

/// <summary>
/// Audience ids: <see cref="Length"/> lower-case hex characters, random. Short on purpose: every profile document lists
/// the ids of its audiences and every feed entry names them, so their length is paid per membership (with 20
/// audiences, 32 characters made documents 40% larger than 16 do, and checkpoints with them).
/// </summary>
internal static class AudienceIds
{
    public const int Length = 16;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>Whether a text has the shape of an audience id.</summary>
    public static bool IsShaped(string text) => text.Length == Length && text.All(char.IsAsciiHexDigitLower);
}
