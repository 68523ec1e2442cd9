namespace Sluice.Processing;

/// <summary>
/// A partition's schedule of time-relative re-evaluations: for each profile, the next instant at which date math
/// alone could move it in or out of an audience. A queue ordered by that instant, with the current instant per profile
/// (a rescheduled profile leaves its old queue entry behind, skipped when it comes up), and the changes since the last
/// checkpoint, which the checkpoint writes.
/// <para>
/// The store's instant may be earlier than the one kept here, by less than <see cref="StoredSlack"/>: an instant that
/// moves later by less than that is not written again. An instant such as <c>last_seen &gt; "now-30d"</c> moves with
/// every event, and rewriting its row at every checkpoint cost more than what it saves: after a restart the profile is
/// re-evaluated a little early, finds nothing changed, and is scheduled again at its exact instant. An instant that
/// moves earlier is always written, so a profile is never re-evaluated late.
/// </para>
/// <para>
/// After a burst of new people nearly every profile has an instant, so the per-profile cost counts: one dictionary
/// entry holds both instants and the account's number here, and the queue holds profile ids only (~60 bytes a profile
/// instead of ~80 in a queue of (profile, account) pairs and two dictionaries).
/// </para>
/// </summary>
internal sealed class AudienceTimers
{
    /// <summary>How much earlier than the exact instant the stored one may be.</summary>
    public static readonly long StoredSlack = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <summary>A profile's exact instant, the one the store holds (never later), and its account's number.</summary>
    private readonly record struct Entry(long DueMs, long StoredMs, int Account);

    private readonly PriorityQueue<long, long> _queue = new();
    private readonly Dictionary<long, Entry> _timers = [];

    // Accounts by number: a partition holds a few, and a number is smaller than a reference in every entry.
    private readonly List<string> _accounts = [];
    private readonly Dictionary<string, int> _accountNumbers = new(StringComparer.Ordinal);

    /// <summary>Changes since the last checkpoint: profile → (account, new instant or null when none).</summary>
    public Dictionary<long, (string AccountId, long? DueMs)> Pending { get; } = [];

    public int Count => _timers.Count;

    /// <summary>Loads a stored instant (no checkpoint needed).</summary>
    public void Load(long profileId, string accountId, long dueMs)
    {
        _timers[profileId] = new Entry(dueMs, dueMs, Number(accountId));
        _queue.Enqueue(profileId, dueMs);
    }

    /// <summary>Sets a profile's next instant (null: none); a change is queued for the checkpoint.</summary>
    public void Schedule(long profileId, string accountId, long? dueMs)
    {
        var has = _timers.TryGetValue(profileId, out var current);
        if (has ? current.DueMs == dueMs : dueMs is null) return;
        if (dueMs is not { } at)
        {
            Pending[profileId] = (accountId, null);
            _timers.Remove(profileId);
            return;
        }
        var stored = current.StoredMs;
        if (!has || at < stored || at - stored >= StoredSlack)
        {
            Pending[profileId] = (accountId, at);
            stored = at;
        }
        _timers[profileId] = new Entry(at, stored, Number(accountId));
        _queue.Enqueue(profileId, at);
        // An instant that moves with every event (last_seen > "now-30d") leaves a stale entry each time, which only
        // leaves the queue when it comes up: past twice the live entries, the queue is rebuilt from them.
        if (_queue.Count > 2 * _timers.Count + 1024)
        {
            _queue.Clear();
            foreach (var (id, timer) in _timers) _queue.Enqueue(id, timer.DueMs);
        }
    }

    /// <summary>The earliest instant scheduled, or null.</summary>
    public long? NextDueMs
    {
        get
        {
            while (_queue.TryPeek(out var id, out var at))
            {
                if (_timers.TryGetValue(id, out var t) && t.DueMs == at) return at;
                _queue.Dequeue();
            }
            return null;
        }
    }

    /// <summary>Takes the profiles due at or before <paramref name="nowMs"/>; they have no instant until rescheduled.</summary>
    public List<(long ProfileId, string AccountId)> TakeDue(long nowMs)
    {
        var due = new List<(long, string)>();
        while (NextDueMs is { } at && at <= nowMs)
        {
            var id = _queue.Dequeue();
            _timers.Remove(id, out var t);
            var account = _accounts[t.Account];
            Pending[id] = (account, null);
            due.Add((id, account));
        }
        return due;
    }

    public void Clear()
    {
        _queue.Clear();
        _timers.Clear();
        _accounts.Clear();
        _accountNumbers.Clear();
        Pending.Clear();
    }

    private int Number(string accountId)
    {
        if (_accountNumbers.TryGetValue(accountId, out var n)) return n;
        _accountNumbers[accountId] = n = _accounts.Count;
        _accounts.Add(accountId);
        return n;
    }
}
