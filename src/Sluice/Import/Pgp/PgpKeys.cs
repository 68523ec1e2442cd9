using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Sluice.Import.Pgp;

/// <summary>
/// The unlocked keys of a PGP authorization: the private keys that decrypt, by key id, and optionally the signer's
/// public keys that a signed file must verify against. Loaded once per import source; checked when the
/// authorization is created, so that a wrong passphrase is refused then and not at the first file.
/// </summary>
internal sealed class PgpKeys
{
    private PgpKeys(IReadOnlyDictionary<long, PgpPrivateKey> decryption, PgpPublicKeyRingBundle? signers)
    {
        Decryption = decryption;
        Signers = signers;
    }

    public IReadOnlyDictionary<long, PgpPrivateKey> Decryption { get; }

    public PgpPublicKeyRingBundle? Signers { get; }

    /// <summary>
    /// Reads the armored keys; the error names the config key at fault and never repeats key material or a
    /// passphrase. <paramref name="privateKeyName"/> and the others are the config keys, for the messages.
    /// </summary>
    public static bool TryLoad(
        string armoredPrivateKey, string? passphrase, string? armoredSignerKey,
        [NotNullWhen(true)] out PgpKeys? keys, [NotNullWhen(false)] out string? error,
        string privateKeyName = "pgp_private_key", string passphraseName = "pgp_passphrase", string signerName = "pgp_signer_public_key")
    {
        keys = null;
        PgpSecretKeyRingBundle bundle;
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.UTF8.GetBytes(armoredPrivateKey)));
            bundle = new PgpSecretKeyRingBundle(input);
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException)
        {
            error = $"config.{privateKeyName} is not an ASCII-armored PGP private key (-----BEGIN PGP PRIVATE KEY BLOCK-----)";
            return false;
        }

        var decryption = new Dictionary<long, PgpPrivateKey>();
        foreach (PgpSecretKeyRing ring in bundle.GetKeyRings())
        {
            foreach (PgpSecretKey secret in ring.GetSecretKeys())
            {
                if (!secret.PublicKey.IsEncryptionKey || secret.IsPrivateKeyEmpty) continue;
                try
                {
                    decryption[secret.KeyId] = secret.ExtractPrivateKey((passphrase ?? "").ToCharArray());
                }
                catch (PgpException)
                {
                    error = $"config.{passphraseName} does not unlock config.{privateKeyName} (wrong passphrase)";
                    return false;
                }
            }
        }
        if (decryption.Count == 0)
        {
            error = $"config.{privateKeyName} holds no private key that can decrypt (no encryption subkey)";
            return false;
        }

        PgpPublicKeyRingBundle? signers = null;
        if (!string.IsNullOrWhiteSpace(armoredSignerKey))
        {
            try
            {
                using var input = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.UTF8.GetBytes(armoredSignerKey)));
                signers = new PgpPublicKeyRingBundle(input);
            }
            catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException)
            {
                signers = null;
            }
            if (signers is null || signers.Count == 0)
            {
                error = $"config.{signerName} is not an ASCII-armored PGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)";
                return false;
            }
        }
        keys = new PgpKeys(decryption, signers);
        error = null;
        return true;
    }

    /// <summary>Key ids as gpg shows them (16 hex digits), to tell people which key a file was meant for.</summary>
    public static string KeyId(long id) => id.ToString("X16", CultureInfo.InvariantCulture);

    public IEnumerable<string> DecryptionKeyIds => Decryption.Keys.Select(KeyId);

    public IEnumerable<string> SignerKeyIds =>
        Signers is null ? [] : Signers.GetKeyRings().Cast<PgpPublicKeyRing>().SelectMany(r => r.GetPublicKeys().Cast<PgpPublicKey>()).Select(k => KeyId(k.KeyId));
}
