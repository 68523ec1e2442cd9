using Sluice.Profiles;

namespace Sluice.Processing;

/// <summary>
/// A profile as the processor keeps it between batches and as the store holds it: the indexed timestamps and the
/// encoded document (<see cref="ProfileDocument.Serialize"/>). Encoded because a decoded document takes
/// several times the memory, and a partition may hold hundreds of thousands. Mutable, and long-lived on purpose:
/// replacing the entry and its document on every change left hundreds of megabytes of old-generation garbage per
/// million events, and the collections that cleaned it up were the processor's largest pause.
/// </summary>
internal sealed class CachedProfile(long id, string accountId, long createdAtMs, long modifiedAtMs, long lastEventAtMs, byte[] doc)
{
    public long Id { get; } = id;

    public string AccountId { get; } = accountId;

    public long CreatedAtMs { get; set; } = createdAtMs;

    public long ModifiedAtMs { get; set; } = modifiedAtMs;

    public long LastEventAtMs { get; set; } = lastEventAtMs;

    /// <summary>Overwritten in place when a change keeps its length: no garbage for the collector to find.</summary>
    public byte[] Doc { get; set; } = doc;

    /// <summary>Changed since the last checkpoint.</summary>
    public bool Dirty { get; set; }

    /// <summary>Not in the store yet (created since the last checkpoint).</summary>
    public bool IsNew { get; set; }

    /// <summary>
    /// Read again by a batch (or a timer) since it entered the cache. A burst of new people fills the cache with
    /// profiles nobody reads again: those go first when the cache evicts.
    /// </summary>
    public bool Reused { get; set; }

    /// <summary>
    /// What the entry costs in memory, counted honestly: the document, the array's header (24), this object (72) and
    /// its share of the cache's tables (a dictionary entry and bucket, the eviction queue: ~48).
    /// </summary>
    public long Bytes => Doc.Length + Overhead;

    private const int Overhead = 24 + 72 + 48;

    /// <summary>The profile with its document decoded.</summary>
    public StoredProfile Decode() => new()
    {
        Id = Id,
        AccountId = AccountId,
        CreatedAtMs = CreatedAtMs,
        ModifiedAtMs = ModifiedAtMs,
        LastEventAtMs = LastEventAtMs,
        Document = ProfileDocument.Deserialize(Doc),
    };
}
