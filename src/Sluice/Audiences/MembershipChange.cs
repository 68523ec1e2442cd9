namespace Sluice.Audiences;

/// <summary>
/// One entry of a partition's membership change feed: a profile entered or left an audience, at a time, because of
/// the log position that processing had applied. <see cref="Seq"/> orders the feed within its partition. An empty
/// <see cref="AudienceId"/> says the profile's identity values changed, with no membership change.
/// </summary>
internal sealed record MembershipChange(long Seq, int Partition, string AccountId, long ProfileId, string AudienceId, bool Entered, long AtMs, long Position);

/// <summary>
/// A change computed by a batch, waiting for the checkpoint that gives it its place in the feed. Its audience is named
/// by token (<see cref="AudienceTokens"/>), as the document and the stored feed name it; readers of the feed get ids.
/// </summary>
internal readonly record struct PendingChange(string AccountId, long ProfileId, string AudienceId, bool Entered, long AtMs, long Position);
