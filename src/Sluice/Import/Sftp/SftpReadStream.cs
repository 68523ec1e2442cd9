namespace Sluice.Import.Sftp;

/// <summary>
/// A remote file being read, whose failures mid-file (a dropped connection, a timeout) surface as
/// <see cref="IOException"/> like those of any other stream, not as SSH.NET's own exception types.
/// </summary>
internal sealed class SftpReadStream(Stream inner, string path) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"reading \"{path}\"", directory: false);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"reading \"{path}\"", directory: false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (SftpErrors.IsSftp(e))
        {
            throw SftpErrors.Translate(e, $"reading \"{path}\"", directory: false);
        }
    }

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

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
