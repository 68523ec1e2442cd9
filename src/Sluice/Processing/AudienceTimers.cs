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
/// </summary>
internal sealed class AudienceTimers
{
    /// <summary>How much earlier than the exact instant the stored one may be.</summary>
    public static readonly long StoredSlack = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    private readonly PriorityQueue<(long ProfileId, string AccountId), long> _queue = new();
    private readonly Dictionary<long, long> _due = [];

    /// <summary>Each profile's instant as the store holds it once the pending changes are written.</summary>
    private readonly Dictionary<long, long> _stored = [];

    /// <summary>Changes since the last checkpoint: profile → (account, new instant or null when none).</summary>
    public Dictionary<long, (string AccountId, long? DueMs)> Pending { get; } = [];

    public int Count => _due.Count;

    /// <summary>Loads a stored instant (no checkpoint needed).</summary>
    public void Load(long profileId, string accountId, long dueMs)
    {
        _due[profileId] = dueMs;
        _stored[profileId] = dueMs;
        _queue.Enqueue((profileId, accountId), dueMs);
    }

    /// <summary>Sets a profile's next instant (null: none); a change is queued for the checkpoint.</summary>
    public void Schedule(long profileId, string accountId, long? dueMs)
    {
        long? current = _due.TryGetValue(profileId, out var d) ? d : null;
        if (current == dueMs) return;
        long? stored = _stored.TryGetValue(profileId, out var s) ? s : null;
        if (dueMs is null || stored is null || dueMs < stored || dueMs - stored >= StoredSlack)
        {
            Pending[profileId] = (accountId, dueMs);
            if (dueMs is { } write) _stored[profileId] = write;
            else _stored.Remove(profileId);
        }
        if (dueMs is { } at)
        {
            _due[profileId] = at;
            _queue.Enqueue((profileId, accountId), at);
            // An instant that moves with every event (last_seen > "now-30d") leaves a stale entry each time, which only
            // leaves the queue when it comes up: past twice the live entries, the queue is rebuilt from them.
            if (_queue.Count > 2 * _due.Count + 1024) Rebuild(accountId);
        }
        else
        {
            _due.Remove(profileId);
        }
    }

    private void Rebuild(string accountId)
    {
        var accounts = new Dictionary<long, string>(_due.Count);
        while (_queue.TryDequeue(out var t, out _)) accounts[t.ProfileId] = t.AccountId;
        foreach (var (id, at) in _due) _queue.Enqueue((id, accounts.GetValueOrDefault(id, accountId)), at);
    }

    /// <summary>The earliest instant scheduled, or null.</summary>
    public long? NextDueMs
    {
        get
        {
            while (_queue.TryPeek(out var t, out var at))
            {
                if (_due.TryGetValue(t.ProfileId, out var d) && d == at) return at;
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
            var t = _queue.Dequeue();
            _due.Remove(t.ProfileId);
            _stored.Remove(t.ProfileId);
            Pending[t.ProfileId] = (t.AccountId, null);
            due.Add(t);
        }
        return due;
    }

    public void Clear()
    {
        _queue.Clear();
        _due.Clear();
        _stored.Clear();
        Pending.Clear();
    }
}
