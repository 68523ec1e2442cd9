using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Sluice.Processing;

/// <summary>An identity value's entry: the profile it points at and how many other values joined through it.</summary>
internal readonly record struct IdentityRow(long ProfileId, long Links);

/// <summary>
/// An identity value with its entry, as the journal stores it. <c>ProfileId</c> 0 is a tombstone: journals written
/// before privacy deletes erased their entries hold some, and loading one rewrites the journal without them.
/// </summary>
internal readonly record struct IdentityEntry(string AccountId, string Name, string Value, IdentityRow Row);

/// <summary>
/// One partition's identity graph in memory: identity value → profile. The partition's processor is its only writer
/// and persists its changes to the identity journal at each checkpoint; profile lookups from the API read
/// it concurrently, hence the lock (uncontended, it costs nanoseconds per call). <see cref="PartitionState"/> says
/// when it is current.
/// <para>
/// A partition holds millions of values after a large import, so they are kept as bytes (<see cref="IdentityTable"/>):
/// the key of a value is its account's and key name's numbers here (a handful of each) as 7-bit integers, then the
/// value in UTF-8. Both numbers are prefix-free, so distinct (account, name, value) triples always have distinct keys.
/// A value that is not valid UTF-16 (a lone surrogate) would not survive UTF-8, so it is kept as its UTF-16 code units
/// after a 0xFF byte, which UTF-8 never contains: two values never share a key.
/// </para>
/// </summary>
internal sealed class IdentityIndex
{
    private const byte Utf16Marker = 0xFF;
    private const int StackKeyBytes = 256;

    private readonly Lock _lock = new();
    private readonly IdentityTable _table = new();
    private readonly Dictionary<string, int> _accountNumbers = new(StringComparer.Ordinal);
    private readonly List<string> _accounts = [];
    private readonly Dictionary<string, int> _nameNumbers = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Count
    {
        get
        {
            lock (_lock) return _table.Count;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _table.Clear();
            _accountNumbers.Clear();
            _accounts.Clear();
            _nameNumbers.Clear();
            _names.Clear();
        }
    }

    /// <summary>
    /// A lookup without the lock, for the processor only: it is the only writer, and readers do not disturb each
    /// other, so its own reads need no exclusion. Resolution does several per event.
    /// </summary>
    public bool TryGetAsWriter(string accountId, string name, string value, out IdentityRow row) => Find(accountId, name, value, out row);

    public bool TryGet(string accountId, string name, string value, out IdentityRow row)
    {
        lock (_lock) return Find(accountId, name, value, out row);
    }

    /// <summary>Sets an entry; a tombstone (profile 0) removes it.</summary>
    public void Set(IdentityEntry entry)
    {
        lock (_lock)
        {
            var remove = entry.Row.ProfileId == 0;
            int account, name;
            if (remove)
            {
                if (!_accountNumbers.TryGetValue(entry.AccountId, out account) || !_nameNumbers.TryGetValue(entry.Name, out name)) return;
            }
            else
            {
                account = Number(_accountNumbers, _accounts, entry.AccountId);
                name = Number(_nameNumbers, _names, entry.Name);
            }
            var max = MaxKeyBytes(entry.Value);
            byte[]? rented = null;
            var buffer = max <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
            try
            {
                var key = buffer[..Encode(account, name, entry.Value, buffer)];
                if (remove) _table.Remove(key, Hash(key));
                else _table.Set(key, Hash(key), entry.Row);
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The entries of an account that point at one profile (a privacy delete erases them).</summary>
    public List<IdentityEntry> EntriesOf(string accountId, long profileId)
    {
        lock (_lock)
        {
            var found = new List<IdentityEntry>();
            if (!_accountNumbers.TryGetValue(accountId, out var account)) return found;
            for (var i = 0; i < _table.Count; i++)
            {
                var row = _table.RowAt(i);
                if (row.ProfileId != profileId) continue;
                var entry = Decode(_table.KeyAt(i), row);
                if (entry.AccountId == _accounts[account]) found.Add(entry);
            }
            return found;
        }
    }

    /// <summary>Every live entry, for rewriting the journal.</summary>
    public List<IdentityEntry> Snapshot()
    {
        lock (_lock)
        {
            var all = new List<IdentityEntry>(_table.Count);
            for (var i = 0; i < _table.Count; i++) all.Add(Decode(_table.KeyAt(i), _table.RowAt(i)));
            return all;
        }
    }

    private bool Find(string accountId, string name, string value, out IdentityRow row)
    {
        row = default;
        if (!_accountNumbers.TryGetValue(accountId, out var account) || !_nameNumbers.TryGetValue(name, out var number)) return false;
        var max = MaxKeyBytes(value);
        byte[]? rented = null;
        var buffer = max <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var key = buffer[..Encode(account, number, value, buffer)];
            var index = _table.Find(key, Hash(key));
            if (index < 0) return false;
            row = _table.RowAt(index);
            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Number(Dictionary<string, int> numbers, List<string> names, string s)
    {
        if (numbers.TryGetValue(s, out var n)) return n;
        numbers[s] = n = names.Count;
        names.Add(s);
        return n;
    }

    // Seeded per process (HashCode), so that values chosen to collide cannot be prepared in advance.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    // Two 7-bit integers of at most 5 bytes, then at most 3 UTF-8 bytes per UTF-16 code unit (or 1 + 2 per unit).
    private static int MaxKeyBytes(string value) => 10 + 3 * value.Length + 1;

    private static int Encode(int account, int name, string value, Span<byte> into)
    {
        var at = Write7Bit(account, into);
        at += Write7Bit(name, into[at..]);
        if (Utf8.FromUtf16(value, into[at..], out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done) return at + written;
        into[at] = Utf16Marker;
        MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(into[(at + 1)..]);
        return at + 1 + value.Length * 2;
    }

    private IdentityEntry Decode(ReadOnlySpan<byte> key, IdentityRow row)
    {
        var at = Read7Bit(key, out var account);
        at += Read7Bit(key[at..], out var name);
        var bytes = key[at..];
        var value = bytes.Length > 0 && bytes[0] == Utf16Marker
            ? new string(MemoryMarshal.Cast<byte, char>(bytes[1..].ToArray().AsSpan()))
            : Encoding.UTF8.GetString(bytes);
        return new IdentityEntry(_accounts[account], _names[name], value, row);
    }

    private static int Write7Bit(int n, Span<byte> into)
    {
        var at = 0;
        var v = (uint)n;
        while (v >= 0x80)
        {
            into[at++] = (byte)(v | 0x80);
            v >>= 7;
        }
        into[at++] = (byte)v;
        return at;
    }

    private static int Read7Bit(ReadOnlySpan<byte> from, out int n)
    {
        var v = 0u;
        var shift = 0;
        var at = 0;
        byte b;
        do
        {
            b = from[at++];
            v |= (uint)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        n = (int)v;
        return at;
    }
}
