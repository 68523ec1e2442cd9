using Org.BouncyCastle.Bcpg;
using Sluice.IO;

namespace Sluice.Import.Pgp;

/// <summary>
/// The packet stream of an OpenPGP file, binary or ASCII-armored, from a stream that need not seek (an SFTP
/// download behind a hashing or progress wrapper). BouncyCastle's own detection seeks back after peeking; here the
/// first byte is read once and replayed: a binary packet starts with its high bit set, armor with text.
/// </summary>
internal static class PgpInput
{
    public static Stream Open(Stream encrypted)
    {
        var first = encrypted.ReadByte();
        if (first < 0) throw new InvalidDataException("the PGP file is empty");
        var replayed = new ReplayStream((byte)first, encrypted);
        return (first & 0x80) != 0 ? replayed : new ArmoredInputStream(replayed);
    }

    /// <summary>One byte already read, then the rest of the stream.</summary>
    private sealed class ReplayStream(byte first, Stream rest) : ReadThroughStream
    {
        private bool _replayed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            int n;
            if (_replayed)
            {
                n = rest.Read(buffer);
            }
            else
            {
                _replayed = true;
                buffer[0] = first;
                n = 1;
            }
            BytesRead += n;
            return n;
        }

        // Armor is decoded a byte at a time: the base class would allocate an array for each.
        public override int ReadByte()
        {
            int b;
            if (_replayed)
            {
                b = rest.ReadByte();
            }
            else
            {
                _replayed = true;
                b = first;
            }
            if (b >= 0) BytesRead++;
            return b;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty) return 0;
            int n;
            if (_replayed)
            {
                n = await rest.ReadAsync(buffer, cancellationToken);
            }
            else
            {
                _replayed = true;
                buffer.Span[0] = first;
                n = 1;
            }
            BytesRead += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
