using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Sluice.Import.Pgp;

/// <summary>
/// Decrypts OpenPGP files (binary or ASCII-armored, compressed or not) as a stream: the literal data is read on
/// demand from the encrypted stream, so memory does not grow with the file. With a signer's key configured, the
/// file must carry a one-pass signature by that key; it is checked when the plaintext has been read to its end.
/// </summary>
internal sealed class PgpDecryption(PgpKeys keys) : IImportDecryption
{
    /// <summary>Guards against a file of nested compressed packets, each of which would open another inflater.</summary>
    private const int MaxNesting = 4;

    public Stream Decrypt(Stream encrypted)
    {
        var decoded = PgpInput.Open(encrypted);
        try
        {
            var data = OpenEncryptedData(new PgpObjectFactory(decoded), out var key);
            var clear = data.GetDataStream(key);
            var factory = new PgpObjectFactory(clear);
            var next = factory.NextPgpObject();
            for (var depth = 0; next is PgpCompressedData compressed; depth++)
            {
                if (depth == MaxNesting) throw new InvalidDataException("the PGP file nests compressed data too deep");
                factory = new PgpObjectFactory(compressed.GetDataStream());
                next = factory.NextPgpObject();
            }

            PgpOnePassSignature? onePass = null;
            if (next is PgpOnePassSignatureList onePasses)
            {
                onePass = onePasses.Count > 0 ? onePasses[0] : null;
                next = factory.NextPgpObject();
            }
            if (next is not PgpLiteralData literal) throw new InvalidDataException("the PGP file holds no literal data after decryption");

            if (keys.Signers is null) onePass = null;
            else if (onePass is null)
            {
                throw new InvalidDataException(
                    $"the PGP file is not signed, but the authorization requires a signature by {string.Join(", ", keys.SignerKeyIds)}");
            }
            else
            {
                var signer = keys.Signers.GetPublicKey(onePass.KeyId)
                    ?? throw new InvalidDataException(
                        $"the PGP file is signed by key {PgpKeys.KeyId(onePass.KeyId)}, not by the authorization's signer {string.Join(", ", keys.SignerKeyIds)}");
                onePass.InitVerify(signer);
            }
            return new PgpPlaintextStream(decoded, literal.GetInputStream(), data, onePass, factory);
        }
        catch (PgpException e)
        {
            decoded.Dispose();
            throw new InvalidDataException($"the PGP file cannot be decrypted: {e.Message}", e);
        }
        catch (IOException e)
        {
            decoded.Dispose();
            throw new InvalidDataException($"the PGP file cannot be decrypted: {e.Message}", e);
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    private PgpPublicKeyEncryptedData OpenEncryptedData(PgpObjectFactory factory, out PgpPrivateKey key)
    {
        var first = factory.NextPgpObject();
        while (first is PgpMarker) first = factory.NextPgpObject();
        if (first is not PgpEncryptedDataList list) throw new InvalidDataException("the file is not PGP-encrypted data");
        var recipients = new List<string>();
        foreach (var item in list.GetEncryptedDataObjects())
        {
            if (item is not PgpPublicKeyEncryptedData data) continue;
            if (keys.Decryption.TryGetValue(data.KeyId, out var found))
            {
                key = found;
                return data;
            }
            recipients.Add(PgpKeys.KeyId(data.KeyId));
        }
        throw new InvalidDataException(
            $"the PGP file is encrypted for key(s) {(recipients.Count == 0 ? "(a passphrase only)" : string.Join(", ", recipients))}, " +
            $"not for this authorization's key {string.Join(", ", keys.DecryptionKeyIds)}");
    }
}
