using Org.BouncyCastle.Bcpg.OpenPgp;
using Sluice.IO;

namespace Sluice.Import.Pgp;

/// <summary>
/// The literal data of a decrypted PGP file, read forward only. At its end the one-pass signature (when required)
/// and the integrity check are verified; a failure throws <see cref="InvalidDataException"/> from that last read,
/// so a consumer that has not seen the end has not accepted the file.
/// </summary>
internal sealed class PgpPlaintextStream(
    Stream outer, Stream literal, PgpPublicKeyEncryptedData data, PgpOnePassSignature? onePass, PgpObjectFactory factory) : ReadThroughStream
{
    private bool _verified;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        if (count == 0) return 0;
        int read;
        try
        {
            read = literal.Read(buffer, offset, count);
        }
        catch (PgpException e)
        {
            throw new InvalidDataException($"the PGP file is damaged: {e.Message}", e);
        }
        if (read > 0)
        {
            onePass?.Update(buffer, offset, read);
            BytesRead += read;
            return read;
        }
        if (!_verified)
        {
            Verify();
            _verified = true;
        }
        return 0;
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // The decoder reads synchronously; an array-backed buffer (the usual case) is read into without a copy.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> array)
            ? Read(array.Array!, array.Offset, array.Count)
            : Read(buffer.Span));

    private void Verify()
    {
        try
        {
            if (onePass is not null)
            {
                if (factory.NextPgpObject() is not PgpSignatureList signatures || signatures.Count == 0)
                {
                    throw new InvalidDataException("the PGP file's signature is missing after its data");
                }
                if (!onePass.Verify(signatures[0])) throw new InvalidDataException("the PGP file's signature does not verify: the file was altered or not signed by the configured key");
            }
            if (data.IsIntegrityProtected() && !data.Verify()) throw new InvalidDataException("the PGP file fails its integrity check: it was altered");
        }
        catch (PgpException e)
        {
            throw new InvalidDataException($"the PGP file's signature cannot be checked: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"the PGP file ends early: {e.Message}", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            literal.Dispose();
            outer.Dispose();
        }
        base.Dispose(disposing);
    }
}
