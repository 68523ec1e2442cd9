namespace Sluice.Audiences;

/// <summary>
/// What a checkpoint writes of the membership changes queued since the previous one: one feed entry per profile with
/// its net changes (an audience entered and left again in between cancels out, since nobody saw it), and each
/// audience's net change in size.
/// </summary>
internal sealed class MembershipDelta
{
    internal MembershipDelta(List<FeedEntry> entries, Dictionary<(string AccountId, string AudienceId), long> sizes)
    {
        Entries = entries;
        Sizes = sizes;
    }

    public IReadOnlyList<FeedEntry> Entries { get; }

    public IReadOnlyDictionary<(string AccountId, string AudienceId), long> Sizes { get; }

    public bool IsEmpty => Entries.Count == 0;

    /// <summary>Nets the changes per profile and audience, keeping profiles in the order of their first change.</summary>
    public static MembershipDelta From(IEnumerable<PendingChange> changes)
    {
        var pending = new PendingMembership();
        pending.AddRange(changes);
        return pending.ToDelta();
    }

    /// <summary>In a feed entry, marks a profile whose identity values changed (<see cref="PendingMembership.Touch"/>).</summary>
    public const string TouchMark = "~";

    /// <summary>
    /// Reads a feed entry's changes back: each audience token with whether the profile entered it; a touch reads as an
    /// empty token.
    /// </summary>
    public static IEnumerable<(string AudienceId, bool Entered)> Parse(string changes) =>
        changes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => c == TouchMark ? ("", false) : (c[1..], c[0] == '+'));
}

/// <summary>
/// One feed entry: a profile's net audience changes since the previous checkpoint, each audience by its token
/// (<c>+3,-12</c>; entries written before audiences were numbered name them by id).
/// </summary>
internal sealed record FeedEntry(string AccountId, long ProfileId, string Changes, long AtMs, long Position);
