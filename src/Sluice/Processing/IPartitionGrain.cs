using Orleans.Concurrency;

namespace Sluice.Processing;

/// <summary>
/// One partition of the event log. It applies its events to profiles in batches; notifications only say
/// "there is more", the position to resume from is always read from the store.
/// </summary>
public interface IPartitionGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task NotifyAsync(long position);

    /// <summary>The profile an identity value points at, from the partition's identity index.</summary>
    Task<long?> FindProfileAsync(string accountId, string name, string value);

    /// <summary>A profile by id as processing last left it (checkpointed or not); a merged-away id gives the survivor.</summary>
    Task<ProfileSnapshot?> GetProfileAsync(string accountId, long profileId);

    /// <summary>
    /// Profiles by id as processing last left them, in one call (an export reads its users' current state in pages).
    /// A profile that was merged away or deleted is absent: its id is not a key of the result.
    /// </summary>
    Task<Dictionary<long, ProfileSnapshot>> GetProfilesAsync(string accountId, long[] profileIds);

    /// <summary>
    /// Re-evaluates an account's audiences over its existing profiles in the background (a definition was created or
    /// changed), page by page in turn with processing. A request during a run starts another run after it.
    /// </summary>
    [OneWay]
    Task ReevaluateAsync(string accountId);

    /// <summary>
    /// Privacy delete of one profile, serialised with the partition's processing. Returns the raw events removed, or -1
    /// if no such profile. It scans the account's whole log (about 200k events/s), so it may take far longer than the
    /// default 30 s a grain call is given.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    Task<int> DeleteProfileAsync(string accountId, long profileId);
}
