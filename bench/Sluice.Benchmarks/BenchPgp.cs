using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Sluice.Import.Pgp;

namespace Sluice.Benchmarks;

/// <summary>
/// A PGP key and an encrypted file as a customer would send them: an RSA-2048 encryption subkey, AES-256,
/// zip-compressed, the file streamed through (never held in memory, so the benchmark's RSS is the import's).
/// </summary>
internal static class BenchPgp
{
    public static PgpKeys GenerateKeys(out PgpPublicKey recipient)
    {
        var random = new SecureRandom();
        var rsa = new RsaKeyPairGenerator();
        rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), random, 2048, 12));
        var master = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, rsa.GenerateKeyPair(), DateTime.UtcNow);
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, rsa.GenerateKeyPair(), DateTime.UtcNow);
        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, master, "bench", SymmetricKeyAlgorithmTag.Aes256,
            "bench".ToCharArray(), true, null, null, random);
        generator.AddSubKey(subkey);
        var ring = generator.GenerateSecretKeyRing();
        recipient = ring.GetSecretKeys().Last().PublicKey;
        var armored = new MemoryStream();
        using (var output = new ArmoredOutputStream(armored)) ring.Encode(output);
        if (!PgpKeys.TryLoad(Encoding.ASCII.GetString(armored.ToArray()), "bench", null, out var keys, out var error)) throw new InvalidOperationException(error);
        return keys;
    }

    public static void Encrypt(Stream plain, Stream output, PgpPublicKey recipient, string name)
    {
        var encryption = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, new SecureRandom());
        encryption.AddMethod(recipient);
        using var encrypted = encryption.Open(output, new byte[1 << 16]);
        var compression = new PgpCompressedDataGenerator(CompressionAlgorithmTag.Zip);
        using var compressed = compression.Open(encrypted);
        var literal = new PgpLiteralDataGenerator();
        using var data = literal.Open(compressed, PgpLiteralData.Binary, name, DateTime.UtcNow, new byte[1 << 16]);
        plain.CopyTo(data, 1 << 16);
    }
}
