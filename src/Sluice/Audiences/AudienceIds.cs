using System.Security.Cryptography;

namespace Sluice.Audiences;

/// <summary>Audience ids: 32 lower-case hex characters, random, as opaque as Lytics' segment ids.</summary>
internal static class AudienceIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
