using System.Text;

namespace Sluice.Audiences;

/// <summary>
/// What a checkpoint writes of the membership changes queued since the previous one: one feed entry per profile with
/// its net changes (an audience entered and left again in between cancels out, since nobody saw it), and each
/// audience's net change in size.
/// </summary>
internal sealed class MembershipDelta
{
    private MembershipDelta(List<FeedEntry> entries, Dictionary<(string AccountId, string AudienceId), long> sizes)
    {
        Entries = entries;
        Sizes = sizes;
    }

    public IReadOnlyList<FeedEntry> Entries { get; }

    public IReadOnlyDictionary<(string AccountId, string AudienceId), long> Sizes { get; }

    public bool IsEmpty => Entries.Count == 0;

    /// <summary>Nets the changes per profile and audience, keeping profiles in the order of their first change.</summary>
    public static MembershipDelta From(IReadOnlyList<PendingChange> changes)
    {
        var byProfile = new Dictionary<(string, long), List<PendingChange>>();
        var order = new List<(string AccountId, long ProfileId)>();
        foreach (var c in changes)
        {
            if (!byProfile.TryGetValue((c.AccountId, c.ProfileId), out var list))
            {
                byProfile[(c.AccountId, c.ProfileId)] = list = [];
                order.Add((c.AccountId, c.ProfileId));
            }
            list.Add(c);
        }

        var entries = new List<FeedEntry>(order.Count);
        var sizes = new Dictionary<(string, string), long>();
        var text = new StringBuilder();
        foreach (var key in order)
        {
            var list = byProfile[key];
            text.Clear();
            // Changes to one audience alternate (enter, exit, enter...): an odd count nets to the first one's direction.
            foreach (var audience in list.GroupBy(c => c.AudienceId, StringComparer.Ordinal))
            {
                var first = audience.First();
                if (audience.Count() % 2 == 0) continue;
                if (text.Length > 0) text.Append(',');
                text.Append(first.Entered ? '+' : '-').Append(first.AudienceId);
                var size = (key.AccountId, first.AudienceId);
                sizes[size] = sizes.GetValueOrDefault(size) + (first.Entered ? 1 : -1);
            }
            if (text.Length == 0) continue;
            entries.Add(new FeedEntry(key.AccountId, key.ProfileId, text.ToString(), list.Max(c => c.AtMs), list.Max(c => c.Position)));
        }
        return new MembershipDelta(entries, sizes);
    }

    /// <summary>Reads a feed entry's changes back: each audience id with whether the profile entered it.</summary>
    public static IEnumerable<(string AudienceId, bool Entered)> Parse(string changes) =>
        changes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => (c[1..], c[0] == '+'));
}

/// <summary>One feed entry: a profile's net audience changes (<c>+id,-id</c>) since the previous checkpoint.</summary>
internal sealed record FeedEntry(string AccountId, long ProfileId, string Changes, long AtMs, long Position);
