namespace Sluice.EventLog;

/// <summary>An event read back from the log, with its position.</summary>
internal sealed record LoggedEvent(long Seq, string AccountId, int Partition, string Stream, long EventTimeMs, long ReceivedAtMs, byte[] Body);
