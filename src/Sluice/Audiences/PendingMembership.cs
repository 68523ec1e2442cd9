namespace Sluice.Audiences;

/// <summary>
/// The membership changes a partition made since its last checkpoint, netted as they come: per profile, the audiences
/// it entered or left, where a change that undoes a pending one cancels it (nobody saw the state in between). A bulk
/// load makes millions of changes between checkpoints; this keeps one small list per profile instead of all of them.
/// </summary>
internal sealed class PendingMembership
{
    private readonly Dictionary<(string AccountId, long ProfileId), Entry> _byProfile = [];
    private readonly List<(string AccountId, long ProfileId)> _order = [];

    /// <summary>Profiles with pending changes (some may have netted out to none).</summary>
    public int Count => _order.Count;

    public void Add(PendingChange c)
    {
        var key = (c.AccountId, c.ProfileId);
        if (!_byProfile.TryGetValue(key, out var entry))
        {
            _byProfile[key] = entry = new Entry();
            _order.Add(key);
        }
        // A loop, not FindIndex: a lambda capturing the change would allocate on every call of a hot path.
        var at = -1;
        for (var i = 0; i < entry.Net.Count; i++)
        {
            if (entry.Net[i].AudienceId == c.AudienceId)
            {
                at = i;
                break;
            }
        }
        // Changes to one audience alternate, so a pending one is always the opposite of this: they cancel.
        if (at >= 0) entry.Net.RemoveAt(at);
        else entry.Net.Add((c.AudienceId, c.Entered));
        entry.AtMs = Math.Max(entry.AtMs, c.AtMs);
        entry.Position = Math.Max(entry.Position, c.Position);
    }

    /// <summary>
    /// Marks a profile whose identity values changed (a new value, or a merge): exports read it again even if its
    /// membership did not change, since the identifier Braze knows it by may have.
    /// </summary>
    public void Touch(string accountId, long profileId, long atMs, long position)
    {
        var key = (accountId, profileId);
        if (!_byProfile.TryGetValue(key, out var entry))
        {
            _byProfile[key] = entry = new Entry();
            _order.Add(key);
        }
        entry.Touched = true;
        entry.AtMs = Math.Max(entry.AtMs, atMs);
        entry.Position = Math.Max(entry.Position, position);
    }

    public void AddRange(IEnumerable<PendingChange> changes)
    {
        foreach (var c in changes) Add(c);
    }

    /// <summary>What the checkpoint writes: a feed entry per profile whose changes did not net out, and the size changes.</summary>
    public MembershipDelta ToDelta()
    {
        var entries = new List<FeedEntry>(_order.Count);
        var sizes = new Dictionary<(string, string), long>();
        foreach (var key in _order)
        {
            var entry = _byProfile[key];
            if (entry.Net.Count == 0 && !entry.Touched) continue;
            var changes = entry.Net.Select(n => (n.Entered ? "+" : "-") + n.AudienceId);
            entries.Add(new FeedEntry(key.AccountId, key.ProfileId,
                string.Join(',', entry.Touched ? changes.Append(MembershipDelta.TouchMark) : changes), entry.AtMs, entry.Position));
            foreach (var (audience, entered) in entry.Net)
            {
                var size = (key.AccountId, audience);
                sizes[size] = sizes.GetValueOrDefault(size) + (entered ? 1 : -1);
            }
        }
        return new MembershipDelta(entries, sizes);
    }

    public void Clear()
    {
        _byProfile.Clear();
        _order.Clear();
    }

    private sealed class Entry
    {
        public List<(string AudienceId, bool Entered)> Net { get; } = new(2);

        public long AtMs { get; set; }

        public long Position { get; set; }

        public bool Touched { get; set; }
    }
}
