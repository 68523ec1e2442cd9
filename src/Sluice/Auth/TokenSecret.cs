using System.Security.Cryptography;
using System.Text;

namespace Sluice.Auth;

/// <summary>Generates token secrets and the hashes stored in their place.</summary>
internal static class TokenSecret
{
    private const string Prefix = "slc_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
