using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// OpenPGP keys and files made in the test with BouncyCastle, as a customer's gpg would make them: an RSA signing
/// key with an RSA encryption subkey, files encrypted (integrity-protected), compressed, optionally one-pass signed.
/// </summary>
public sealed class TestPgp
{
    private static readonly SecureRandom Random = new();

    private TestPgp(PgpSecretKeyRing secret, string passphrase)
    {
        Secret = secret;
        Passphrase = passphrase;
    }

    internal PgpSecretKeyRing Secret { get; }

    public string Passphrase { get; }

    /// <summary>The subkey, as gpg encrypts to it; it comes after the master key in the ring.</summary>
    internal PgpPublicKey EncryptionKey => Secret.GetSecretKeys().Cast<PgpSecretKey>().Last().PublicKey;

    internal PgpSecretKey SigningKey => Secret.GetSecretKey();

    public static TestPgp Generate(string identity, string passphrase)
    {
        var master = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, Rsa(), DateTime.UtcNow);
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, Rsa(), DateTime.UtcNow);
        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, master, identity,
            SymmetricKeyAlgorithmTag.Aes256, passphrase.ToCharArray(), true, null, null, Random);
        generator.AddSubKey(subkey);
        return new TestPgp(generator.GenerateSecretKeyRing(), passphrase);
    }

    public string ArmoredPrivateKey() => Armor(s => Secret.Encode(s));

    public string ArmoredPublicKey() => Armor(s => { foreach (PgpSecretKey key in Secret.GetSecretKeys()) key.PublicKey.Encode(s); });

    /// <summary>
    /// <paramref name="plain"/> encrypted for this key; signed by <paramref name="signer"/> when given. With
    /// <paramref name="signedContent"/> the signature is computed over other bytes than those written: a forgery.
    /// </summary>
    public byte[] Encrypt(byte[] plain, TestPgp? signer = null, bool armor = false, byte[]? signedContent = null, bool compress = true)
    {
        var output = new MemoryStream();
        Encrypt(new MemoryStream(plain), output, "data.csv", signer, armor, signedContent, compress);
        return output.ToArray();
    }

    /// <summary>
    /// <paramref name="plain"/> encrypted for this key into <paramref name="output"/> as a stream, never held in memory
    /// (a benchmark encrypts a file of hundreds of megabytes this way); the rest as <see cref="Encrypt(byte[], TestPgp?, bool, byte[]?, bool)"/>.
    /// </summary>
    public void Encrypt(Stream plain, Stream output, string name, TestPgp? signer = null, bool armor = false, byte[]? signedContent = null, bool compress = true)
    {
        Stream target = armor ? new ArmoredOutputStream(output) : output;
        var encryption = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, Random);
        encryption.AddMethod(EncryptionKey);
        var encrypted = encryption.Open(target, new byte[1 << 16]);
        var compression = new PgpCompressedDataGenerator(compress ? CompressionAlgorithmTag.Zip : CompressionAlgorithmTag.Uncompressed);
        var compressed = compression.Open(encrypted);
        PgpSignatureGenerator? signature = null;
        if (signer is not null)
        {
            var key = signer.SigningKey;
            signature = new PgpSignatureGenerator(key.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
            signature.InitSign(PgpSignature.BinaryDocument, key.ExtractPrivateKey(signer.Passphrase.ToCharArray()));
            signature.GenerateOnePassVersion(false).Encode(compressed);
        }
        var literal = new PgpLiteralDataGenerator();
        using (var data = literal.Open(compressed, PgpLiteralData.Binary, name, DateTime.UtcNow, new byte[1 << 16]))
        {
            // Written in pieces, as a large file would be.
            var piece = new byte[10_000];
            int read;
            while ((read = plain.Read(piece, 0, piece.Length)) > 0)
            {
                data.Write(piece, 0, read);
                if (signedContent is null) signature?.Update(piece, 0, read);
            }
        }
        if (signature is not null)
        {
            if (signedContent is not null) signature.Update(signedContent, 0, signedContent.Length);
            signature.Generate().Encode(compressed);
        }
        compressed.Dispose();
        encrypted.Dispose();
        if (armor) target.Dispose();
    }

    private static string Armor(Action<Stream> write)
    {
        var output = new MemoryStream();
        using (var armored = new ArmoredOutputStream(output)) write(armored);
        return Encoding.ASCII.GetString(output.ToArray());
    }

    private static Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair Rsa()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), Random, 2048, 12));
        return generator.GenerateKeyPair();
    }
}
