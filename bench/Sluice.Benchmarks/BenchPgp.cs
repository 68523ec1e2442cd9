using Org.BouncyCastle.Bcpg.OpenPgp;
using Sluice.Import.Pgp;
using Sluice.Tests.Infrastructure;

namespace Sluice.Benchmarks;

/// <summary>
/// A PGP key and encrypted files as a customer would send them, made by the tests' <see cref="TestPgp"/> (an RSA-2048
/// encryption subkey, AES-256, zip-compressed): the file streamed through, never held in memory, so the benchmark's
/// RSS is the import's.
/// </summary>
internal static class BenchPgp
{
    /// <summary>A new key pair: the private key loaded as an authorization holds it, and the public key to encrypt to.</summary>
    public static PgpKeys GenerateKeys(out TestPgp recipient)
    {
        recipient = TestPgp.Generate("bench", "bench");
        if (!PgpKeys.TryLoad(recipient.ArmoredPrivateKey(), recipient.Passphrase, null, out var keys, out var error)) throw new InvalidOperationException(error);
        return keys;
    }

    public static void Encrypt(Stream plain, Stream output, TestPgp recipient, string name) => recipient.Encrypt(plain, output, name);
}
