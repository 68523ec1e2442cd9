using Org.BouncyCastle.Bcpg;

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
    private sealed class ReplayStream(byte first, Stream rest) : Stream
    {
        private bool _replayed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            if (count == 0) return 0;
            if (_replayed) return rest.Read(buffer, offset, count);
            _replayed = true;
            buffer[offset] = first;
            return 1;
        }

        public override int ReadByte()
        {
            if (_replayed) return rest.ReadByte();
            _replayed = true;
            return first;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
