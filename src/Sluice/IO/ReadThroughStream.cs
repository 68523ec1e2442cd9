namespace Sluice.IO;

/// <summary>
/// A forward-only stream that reads from another and does something with what passes (counts it, hashes it, checks
/// it): everything but reading is refused, and <see cref="Position"/> is <see cref="BytesRead"/>. Subclasses say how
/// to read; the byte-array overload of <c>ReadAsync</c> goes to their <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.
/// </summary>
internal abstract class ReadThroughStream : Stream
{
    /// <summary>The bytes this stream has handed out so far.</summary>
    public long BytesRead { get; protected set; }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
