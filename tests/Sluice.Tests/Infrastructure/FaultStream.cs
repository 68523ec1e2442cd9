namespace Sluice.Tests.Infrastructure;

/// <summary>
/// A file's bytes up to <c>limit</c>, then whatever <c>atLimit</c> does: wait (a read that hangs until the node stops)
/// or throw (a cut connection). Reads before the limit are served as they are.
/// </summary>
internal sealed class FaultStream(Stream inner, long limit, Func<CancellationToken, Task> atLimit) : Stream
{
    private long _read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_read >= limit) await atLimit(cancellationToken);
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Math.Max(1, limit - _read))], cancellationToken);
        _read += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
