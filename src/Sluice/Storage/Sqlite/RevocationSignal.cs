using System.IO.MemoryMappedFiles;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Eight bytes in a file beside the main database (<c>sluice.db-revocations</c>), mapped into memory by every process
/// that uses the store. A revocation writes a new random value there right after its transaction commits, so any
/// process on the same store sees that something was revoked with one memory read instead of a SQLite read
/// transaction: the latter, once per collect request, was about a tenth of the request's CPU in a webhook burst
/// (two file-lock system calls and a page re-read whenever processing had written the file meanwhile).
/// </summary>
/// <para>
/// A random value rather than a count: two processes revoking at once need no shared increment, and a value that
/// differs from the one a reader last saw is all a reader asks. It is a hint only; the store's counter remains what
/// a cache compares (see <see cref="SqliteTokenStore.RevocationsAsync"/>).
/// </para>
internal sealed class RevocationSignal : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    public RevocationSignal(string databasePath)
    {
        var file = new FileStream(databasePath + "-revocations", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            // A new file is extended to eight zero bytes by the mapping; two processes doing so at once agree.
            _map = MemoryMappedFile.CreateFromFile(file, null, sizeof(long), MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _view = _map.CreateViewAccessor(0, sizeof(long));
    }

    /// <summary>The current value: an aligned eight-byte read, never torn.</summary>
    public long Read() => _view.ReadInt64(0);

    /// <summary>Tells every process on the store that tokens may have changed.</summary>
    public void Raise()
    {
        long next;
        do next = Random.Shared.NextInt64(); while (next == Read());
        _view.Write(0, next);
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
