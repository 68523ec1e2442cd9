using System.Text;

namespace Sluice.Audiences;

/// <summary>
/// The membership changes a partition made since its last checkpoint, netted as they come: per profile, the audiences
/// it entered or left, where a change that undoes a pending one cancels it (nobody saw the state in between). A bulk
/// load makes millions of changes between checkpoints; this keeps one small list per profile instead of all of them.
/// <para>
/// Kept in a few large arrays of structs (a profile's changes are a linked list through one of them), not in objects
/// per profile: hundreds of thousands of profiles wait here for a checkpoint, long enough for the collector to promote
/// per-profile objects to the old generation, where they died in the most expensive collections of a bulk load.
/// </para>
/// </summary>
internal sealed class PendingMembership
{
    private readonly Dictionary<long, int> _byProfile = [];
    private Entry[] _entries = new Entry[16];
    private Change[] _changes = new Change[64];
    private int _changeCount;

    /// <summary>Profiles with pending changes (some may have netted out to none).</summary>
    public int Count { get; private set; }

    public void Add(PendingChange c)
    {
        ref var entry = ref EntryOf(c.AccountId, c.ProfileId);
        // Changes to one audience alternate, so a pending one is always the opposite of this: they cancel.
        for (int at = entry.First, previous = -1; at >= 0; previous = at, at = _changes[at].Next)
        {
            if (_changes[at].Token != c.AudienceId) continue;
            var next = _changes[at].Next;
            if (previous < 0) entry.First = next;
            else _changes[previous].Next = next;
            if (entry.Last == at) entry.Last = previous;
            entry.Net--;
            Stamp(ref entry, c.AtMs, c.Position);
            return;
        }
        if (_changeCount == _changes.Length) Array.Resize(ref _changes, _changes.Length * 2);
        var added = _changeCount++;
        _changes[added] = new Change(c.AudienceId, c.Entered, -1);
        if (entry.Last < 0) entry.First = added;
        else _changes[entry.Last].Next = added;
        entry.Last = added;
        entry.Net++;
        Stamp(ref entry, c.AtMs, c.Position);
    }

    /// <summary>
    /// Marks a profile whose identity values changed (a new value, or a merge): exports read it again even if its
    /// membership did not change, since the identifier Braze knows it by may have.
    /// </summary>
    public void Touch(string accountId, long profileId, long atMs, long position)
    {
        ref var entry = ref EntryOf(accountId, profileId);
        entry.Touched = true;
        Stamp(ref entry, atMs, position);
    }

    public void AddRange(IEnumerable<PendingChange> changes)
    {
        foreach (var c in changes) Add(c);
    }

    /// <summary>What the checkpoint writes: a feed entry per profile whose changes did not net out, and the size changes.</summary>
    public MembershipDelta ToDelta()
    {
        var entries = new List<FeedEntry>(Count);
        var sizes = new Dictionary<(string, string), long>();
        var text = new StringBuilder(64);
        for (var i = 0; i < Count; i++)
        {
            ref var entry = ref _entries[i];
            if (entry.Net == 0 && !entry.Touched) continue;
            text.Clear();
            for (var at = entry.First; at >= 0; at = _changes[at].Next)
            {
                var (token, entered) = (_changes[at].Token, _changes[at].Entered);
                if (text.Length > 0) text.Append(',');
                text.Append(entered ? '+' : '-').Append(token);
                var size = (entry.AccountId, token);
                sizes[size] = sizes.GetValueOrDefault(size) + (entered ? 1 : -1);
            }
            if (entry.Touched) text.Append(text.Length > 0 ? "," : "").Append(MembershipDelta.TouchMark);
            entries.Add(new FeedEntry(entry.AccountId, entry.ProfileId, text.ToString(), entry.AtMs, entry.Position));
        }
        return new MembershipDelta(entries, sizes);
    }

    public void Clear()
    {
        _byProfile.Clear();
        Array.Clear(_entries, 0, Count);
        Array.Clear(_changes, 0, _changeCount);
        Count = 0;
        _changeCount = 0;
    }

    /// <summary>The profile's entry, created in the order of first changes. Profile ids are unique in the store, whatever the account.</summary>
    private ref Entry EntryOf(string accountId, long profileId)
    {
        if (_byProfile.TryGetValue(profileId, out var at)) return ref _entries[at];
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        at = Count++;
        _byProfile[profileId] = at;
        _entries[at] = new Entry { AccountId = accountId, ProfileId = profileId, First = -1, Last = -1 };
        return ref _entries[at];
    }

    private static void Stamp(ref Entry entry, long atMs, long position)
    {
        entry.AtMs = Math.Max(entry.AtMs, atMs);
        entry.Position = Math.Max(entry.Position, position);
    }

    private struct Entry
    {
        public string AccountId;
        public long ProfileId;
        public long AtMs;
        public long Position;
        public bool Touched;

        /// <summary>The profile's net changes: a list through <see cref="_changes"/>, first and last index (-1: none).</summary>
        public int First;
        public int Last;
        public int Net;
    }

    private struct Change(string token, bool entered, int next)
    {
        public readonly string Token = token;
        public readonly bool Entered = entered;
        public int Next = next;
    }
}
