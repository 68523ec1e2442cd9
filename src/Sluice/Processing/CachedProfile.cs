namespace Sluice.Processing;

/// <summary>
/// A profile as the processor keeps it between batches and as the store holds it: the indexed timestamps and the
/// encoded document (<see cref="Profiles.ProfileDocument.Serialize"/>). Encoded because a decoded document takes
/// several times the memory, and a partition may hold hundreds of thousands.
/// </summary>
internal sealed record CachedProfile(long Id, string AccountId, long CreatedAtMs, long ModifiedAtMs, long LastEventAtMs, byte[] Doc)
{
    /// <summary>Changed since the last checkpoint.</summary>
    public bool Dirty { get; init; }

    /// <summary>Not in the store yet (created since the last checkpoint).</summary>
    public bool IsNew { get; init; }

    public long Bytes => Doc.Length + 96;
}
