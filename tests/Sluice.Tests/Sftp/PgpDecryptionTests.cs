using System.Text;
using Sluice.Import.Pgp;
using Sluice.IO;

namespace Sluice.Tests.Sftp;

/// <summary>Keys made once for the PGP tests (RSA generation is the slow part).</summary>
public sealed class PgpKeysFixture
{
    public TestPgp Recipient { get; } = TestPgp.Generate("Sluice import <import@sluice.test>", "recipient passphrase");

    public TestPgp Signer { get; } = TestPgp.Generate("Customer <exports@customer.test>", "signer passphrase");

    public TestPgp Stranger { get; } = TestPgp.Generate("Someone else <x@elsewhere.test>", "stranger passphrase");
}

/// <summary>
/// <see cref="PgpDecryption"/> over files made in the test as gpg makes them: the exact plaintext comes out of a
/// stream, a signature by the configured signer verifies, and every way a file can be wrong is an
/// <see cref="InvalidDataException"/> saying which. Every file is given as a stream that cannot seek.
/// </summary>
public sealed class PgpDecryptionTests(PgpKeysFixture keys) : IClassFixture<PgpKeysFixture>
{
    private static readonly byte[] Plain = Csv(20_000);

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void An_encrypted_file_binary_or_armored_compressed_or_not_decrypts_to_its_exact_bytes(bool armor, bool compress)
    {
        var file = keys.Recipient.Encrypt(Plain, armor: armor, compress: compress);
        Assert.Equal(Plain, ReadAll(Decryption().Decrypt(Forward(file))));
    }

    [Fact]
    public void A_file_encrypted_and_signed_by_the_configured_signer_decrypts_and_verifies()
    {
        var file = keys.Recipient.Encrypt(Plain, signer: keys.Signer);
        Assert.Equal(Plain, ReadAll(Decryption(signer: keys.Signer).Decrypt(Forward(file))));
    }

    [Fact]
    public void A_signed_file_decrypts_without_a_check_when_no_signer_is_configured()
    {
        var file = keys.Recipient.Encrypt(Plain, signer: keys.Signer);
        Assert.Equal(Plain, ReadAll(Decryption().Decrypt(Forward(file))));
    }

    [Fact]
    public void A_signature_that_does_not_match_the_content_fails_with_InvalidDataException_only_at_the_end_of_the_stream()
    {
        var forged = (byte[])Plain.Clone();
        forged[100] ^= 1;
        var file = keys.Recipient.Encrypt(Plain, signer: keys.Signer, signedContent: forged);
        using var plain = Decryption(signer: keys.Signer).Decrypt(Forward(file));
        var buffer = new byte[8192];
        var read = 0L;
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            int n;
            while ((n = plain.Read(buffer, 0, buffer.Length)) > 0) read += n;
        });
        Assert.Equal(Plain.Length, read);
        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_file_is_refused_when_the_authorization_requires_a_signer()
    {
        var file = keys.Recipient.Encrypt(Plain);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(Decryption(signer: keys.Signer).Decrypt(Forward(file))));
        Assert.Contains("not signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_signed_by_another_key_is_refused_naming_the_key()
    {
        var file = keys.Recipient.Encrypt(Plain, signer: keys.Stranger);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(Decryption(signer: keys.Signer).Decrypt(Forward(file))));
        Assert.Contains(PgpKeys.KeyId(keys.Stranger.SigningKey.KeyId), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_encrypted_for_another_key_is_refused_naming_both_keys()
    {
        var file = keys.Stranger.Encrypt(Plain);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(Decryption().Decrypt(Forward(file))));
        Assert.Contains(PgpKeys.KeyId(keys.Stranger.EncryptionKey.KeyId), error.Message, StringComparison.Ordinal);
        Assert.Contains(PgpKeys.KeyId(keys.Recipient.EncryptionKey.KeyId), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_PGP_is_refused_with_InvalidDataException()
    {
        Assert.Throws<InvalidDataException>(() => ReadAll(Decryption().Decrypt(Forward("external_id,email\n1,a@b.co\n"u8.ToArray()))));
    }

    [Fact]
    public void A_corrupted_ciphertext_fails_with_InvalidDataException_and_is_never_read_to_a_clean_end()
    {
        var file = keys.Recipient.Encrypt(Plain, compress: false);
        file[file.Length / 2] ^= 0x40;
        Assert.Throws<InvalidDataException>(() => ReadAll(Decryption().Decrypt(Forward(file))));
    }

    [Fact]
    public void A_wrong_passphrase_a_missing_key_and_a_bad_signer_key_are_refused_when_keys_are_loaded_naming_the_config_key()
    {
        Assert.False(PgpKeys.TryLoad(keys.Recipient.ArmoredPrivateKey(), "wrong", null, out _, out var wrong));
        Assert.Contains("config.pgp_passphrase", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong\"", wrong, StringComparison.Ordinal);
        Assert.False(PgpKeys.TryLoad("-----BEGIN PGP PRIVATE KEY BLOCK-----\nnot a key\n", "x", null, out _, out var garbage));
        Assert.Contains("config.pgp_private_key", garbage, StringComparison.Ordinal);
        Assert.False(PgpKeys.TryLoad(keys.Recipient.ArmoredPrivateKey(), keys.Recipient.Passphrase, "nope", out _, out var signer));
        Assert.Contains("config.pgp_signer_public_key", signer, StringComparison.Ordinal);
        Assert.True(PgpKeys.TryLoad(keys.Recipient.ArmoredPrivateKey(), keys.Recipient.Passphrase, keys.Signer.ArmoredPublicKey(), out _, out _));
    }

    private PgpDecryption Decryption(TestPgp? signer = null)
    {
        Assert.True(PgpKeys.TryLoad(keys.Recipient.ArmoredPrivateKey(), keys.Recipient.Passphrase, signer?.ArmoredPublicKey(), out var loaded, out var error), error);
        return new PgpDecryption(loaded);
    }

    /// <summary>The file as a stream that cannot seek, as a download behind a hashing wrapper is.</summary>
    private static Stream Forward(byte[] file) => new ForwardOnlyStream(new MemoryStream(file));

    internal static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var output = new MemoryStream();
            stream.CopyTo(output, 8192);
            return output.ToArray();
        }
    }

    internal static byte[] Csv(int rows)
    {
        var text = new StringBuilder("external_id,email,first_name,city\n");
        for (var i = 0; i < rows; i++) text.Append("u").Append(i).Append(",u").Append(i).Append("@example.com,\"Zoë, \"\"the\"\" Müller\",São Paulo\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

/// <summary>Reads forward only: no seeking, no length.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : ReadThroughStream
{
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
