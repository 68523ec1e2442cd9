namespace Sluice.Processing;

/// <summary>
/// A partition's schedule of time-relative re-evaluations: for each profile, the next instant at which date math
/// alone could move it in or out of an audience. A queue ordered by that instant, with the current instant per profile
/// (a rescheduled profile leaves its old queue entry behind, skipped when it comes up), and the changes since the last
/// checkpoint, which the checkpoint writes.
/// </summary>
internal sealed class AudienceTimers
{
    private readonly PriorityQueue<(long ProfileId, string AccountId), long> _queue = new();
    private readonly Dictionary<long, long> _due = [];

    /// <summary>Changes since the last checkpoint: profile → (account, new instant or null when none).</summary>
    public Dictionary<long, (string AccountId, long? DueMs)> Pending { get; } = [];

    public int Count => _due.Count;

    /// <summary>Loads a stored instant (no checkpoint needed).</summary>
    public void Load(long profileId, string accountId, long dueMs)
    {
        _due[profileId] = dueMs;
        _queue.Enqueue((profileId, accountId), dueMs);
    }

    /// <summary>Sets a profile's next instant (null: none); a change is queued for the checkpoint.</summary>
    public void Schedule(long profileId, string accountId, long? dueMs)
    {
        long? current = _due.TryGetValue(profileId, out var d) ? d : null;
        if (current == dueMs) return;
        Pending[profileId] = (accountId, dueMs);
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
            Pending[t.ProfileId] = (t.AccountId, null);
            due.Add(t);
        }
        return due;
    }

    public void Clear()
    {
        _queue.Clear();
        _due.Clear();
        Pending.Clear();
    }
}
