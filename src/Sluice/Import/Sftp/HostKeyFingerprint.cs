using System.Diagnostics.CodeAnalysis;

namespace Sluice.Import.Sftp;

/// <summary>
/// SHA-256 host key fingerprints as OpenSSH prints them (<c>ssh-keygen -lf</c>: <c>SHA256:</c> and unpadded base64).
/// Stored without the prefix, the form SSH.NET reports, so that pinning is one ordinal comparison.
/// </summary>
internal static class HostKeyFingerprint
{
    private const string Prefix = "SHA256:";

    /// <summary>A SHA-256 digest is 32 bytes: 43 base64 characters without padding.</summary>
    private const int Base64Length = 43;

    /// <summary>Accepts <c>SHA256:xxxx</c> or <c>xxxx</c>, with or without the trailing <c>=</c>.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? fingerprint)
    {
        fingerprint = null;
        if (text is null) return false;
        var value = text.Trim();
        if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) value = value[Prefix.Length..];
        value = value.TrimEnd('=');
        if (value.Length != Base64Length) return false;
        var buffer = new byte[33];
        if (!Convert.TryFromBase64String(value + "=", buffer, out var written) || written != 32) return false;
        fingerprint = value;
        return true;
    }

    /// <summary>As people read and paste it.</summary>
    public static string Show(string fingerprint) => Prefix + fingerprint;

    /// <summary>The fingerprint of an OpenSSH public key line (<c>ssh-ed25519 AAAA... comment</c>).</summary>
    public static string OfPublicKeyLine(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("not an OpenSSH public key line");
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(parts[1]))).TrimEnd('=');
    }
}
