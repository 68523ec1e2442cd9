namespace Sluice.Authorizations;

/// <summary>
/// The SFTP authorization types (<c>config.type</c>), after the seed's list: three that can serve imports, and the
/// public-key type that the seed keeps for SFTP exports only.
/// </summary>
internal static class SftpAuthorizationTypes
{
    /// <summary>The customer's SFTP server: password and/or private key, pinned host key.</summary>
    public const string Client = "client";

    /// <summary>As <see cref="Client"/>, plus a PGP private key that decrypts the files.</summary>
    public const string ClientPgp = "client_pgp";

    /// <summary>A drop box Sluice serves itself with OpenSSH.</summary>
    public const string Managed = "managed";

    /// <summary>
    /// Sluice logs in to the customer's server with a key pair it generated, whose public half the customer installs.
    /// Export-only, as in the seed: import jobs refuse it.
    /// </summary>
    public const string PublicKey = "public_key";

    public static readonly string[] All = [Client, ClientPgp, Managed, PublicKey];
}
