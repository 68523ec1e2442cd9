namespace Sluice.EventLog;

/// <summary>An event accepted by collect, about to be appended to the log. <see cref="Body"/> is the raw JSON object (UTF-8).</summary>
internal sealed record NewEvent(string AccountId, int Partition, string Stream, long EventTimeMs, long ReceivedAtMs, ReadOnlyMemory<byte> Body);
