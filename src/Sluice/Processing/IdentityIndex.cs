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
/// </summary>
internal sealed class IdentityIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<(string Name, string Value), IdentityRow>> _accounts = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock) return _accounts.Values.Sum(a => a.Count);
        }
    }

    public void Clear()
    {
        lock (_lock) _accounts.Clear();
    }

    /// <summary>
    /// A lookup without the lock, for the processor only: it is the only writer, and readers do not disturb each
    /// other, so its own reads need no exclusion. Resolution does several per event.
    /// </summary>
    public bool TryGetAsWriter(string accountId, string name, string value, out IdentityRow row)
    {
        row = default;
        return _accounts.TryGetValue(accountId, out var account) && account.TryGetValue((name, value), out row);
    }

    public bool TryGet(string accountId, string name, string value, out IdentityRow row)
    {
        lock (_lock)
        {
            row = default;
            return _accounts.TryGetValue(accountId, out var account) && account.TryGetValue((name, value), out row);
        }
    }

    /// <summary>Sets an entry; a tombstone (profile 0) removes it.</summary>
    public void Set(IdentityEntry entry)
    {
        lock (_lock)
        {
            if (!_accounts.TryGetValue(entry.AccountId, out var account))
            {
                if (entry.Row.ProfileId == 0) return;
                _accounts[entry.AccountId] = account = [];
            }
            if (entry.Row.ProfileId == 0) account.Remove((entry.Name, entry.Value));
            else account[(entry.Name, entry.Value)] = entry.Row;
        }
    }

    /// <summary>The entries of an account that point at one profile (a privacy delete erases them).</summary>
    public List<IdentityEntry> EntriesOf(string accountId, long profileId)
    {
        lock (_lock)
        {
            return _accounts.TryGetValue(accountId, out var account)
                ? [.. account.Where(kv => kv.Value.ProfileId == profileId).Select(kv => new IdentityEntry(accountId, kv.Key.Name, kv.Key.Value, kv.Value))]
                : [];
        }
    }

    /// <summary>Every live entry, for rewriting the journal.</summary>
    public List<IdentityEntry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _accounts.SelectMany(a => a.Value.Select(kv => new IdentityEntry(a.Key, kv.Key.Name, kv.Key.Value, kv.Value)))];
        }
    }
}
