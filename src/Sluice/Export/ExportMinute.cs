namespace Sluice.Export;

/// <summary>One minute of an export job's row log: rows sent, failed, retried, and failed with a 429 (rate limited).</summary>
internal sealed record ExportMinute(DateTimeOffset Minute, long Sent, long Failed, long Retried, long RateLimited);
