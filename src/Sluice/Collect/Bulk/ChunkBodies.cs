using System.Buffers;

namespace Sluice.Collect.Bulk;

/// <summary>
/// The JSON bodies of one chunk of rows on their way to the log, copied one after another into pooled blocks instead
/// of an array each: the log binds each body from its slice, and the blocks go back to the pool once the chunk is
/// committed (<see cref="Dispose"/>). A 500,000-row import otherwise allocates ~270 MB of short-lived arrays.
/// </summary>
/// <remarks>Not thread-safe: filled by the reader, then read by the log's writer only after filling is over.</remarks>
internal sealed class ChunkBodies : IDisposable
{
    /// <summary>Large enough for a few hundred typical rows per block, small enough for the shared pool to keep.</summary>
    private const int BlockBytes = 256 * 1024;

    private readonly List<byte[]> _blocks = [];
    private byte[] _block = [];
    private int _used;

    /// <summary>A copy of <paramref name="body"/> that stays valid until this chunk is disposed.</summary>
    public ReadOnlyMemory<byte> Add(ReadOnlySpan<byte> body)
    {
        if (body.Length > _block.Length - _used)
        {
            _block = ArrayPool<byte>.Shared.Rent(Math.Max(BlockBytes, body.Length));
            _blocks.Add(_block);
            _used = 0;
        }
        body.CopyTo(_block.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_block, _used, body.Length);
        _used += body.Length;
        return copy;
    }

    /// <summary>Returns the blocks to the pool: only once nothing reads the bodies any more (the chunk is committed or failed).</summary>
    public void Dispose()
    {
        foreach (var block in _blocks) ArrayPool<byte>.Shared.Return(block);
        _blocks.Clear();
        _block = [];
        _used = 0;
    }
}
