using Sluice.Profiles;

namespace Sluice.Processing;

/// <summary>A profile as the partition grain hands it to the API: the stored timestamps and the encoded document.</summary>
[GenerateSerializer, Immutable]
public sealed record ProfileSnapshot(
    [property: Id(0)] long Id,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long CreatedAtMs,
    [property: Id(3)] long ModifiedAtMs,
    [property: Id(4)] long LastEventAtMs,
    [property: Id(5)] byte[] Doc)
{
    internal static ProfileSnapshot From(CachedProfile p) => new(p.Id, p.AccountId, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, p.Doc);

    internal StoredProfile ToProfile() => new CachedProfile(Id, AccountId, CreatedAtMs, ModifiedAtMs, LastEventAtMs, Doc).Decode();
}
