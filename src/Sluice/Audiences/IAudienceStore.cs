namespace Sluice.Audiences;

/// <summary>Audience definitions, and the membership that processing maintains (members and the change feed).</summary>
internal interface IAudienceStore
{
    Task<IReadOnlyList<Audience>> ListAsync(string accountId, CancellationToken ct);

    /// <summary>An audience by id or slug.</summary>
    Task<Audience?> FindAsync(string accountId, string idOrSlug, CancellationToken ct);

    /// <summary>Saves a new audience; false when its slug is taken in the account.</summary>
    Task<bool> CreateAsync(Audience audience, CancellationToken ct);

    /// <summary>Saves a changed audience; false when its new slug is taken.</summary>
    Task<bool> UpdateAsync(Audience audience, CancellationToken ct);

    Task<bool> DeleteAsync(string accountId, string id, CancellationToken ct);

    /// <summary>The account's audience numbers, deleted audiences' included, to read documents' and feed entries' tokens back as ids.</summary>
    Task<AudienceNumbering> NumberingAsync(string accountId, CancellationToken ct);

    /// <summary>How many profiles are members now.</summary>
    Task<long> SizeAsync(string accountId, string audienceId, CancellationToken ct);

    /// <summary>Member profile ids in order, after <paramref name="afterProfileId"/>.</summary>
    Task<IReadOnlyList<long>> MembersAsync(string accountId, string audienceId, long afterProfileId, int limit, CancellationToken ct);

    /// <summary>An audience's enter and exit changes, newest first, before <paramref name="beforeSeq"/> when given.</summary>
    Task<IReadOnlyList<MembershipChange>> HistoryAsync(string accountId, string audienceId, int limit, CancellationToken ct);

    /// <summary>The last sequence number of a partition's feed (0 when empty).</summary>
    Task<long> FeedHeadAsync(int partition, CancellationToken ct);

    /// <summary>A partition's feed in order after <paramref name="afterSeq"/>: what the Braze export tails.</summary>
    Task<IReadOnlyList<MembershipChange>> ReadFeedAsync(int partition, long afterSeq, int limit, CancellationToken ct);
}
