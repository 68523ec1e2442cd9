namespace Sluice.Collect;

/// <summary>Why a collect request (or one event of it) was refused, with the HTTP status to answer.</summary>
internal sealed record CollectError(int Status, string Message);
