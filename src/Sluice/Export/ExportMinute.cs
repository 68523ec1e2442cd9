namespace Sluice.Export;

/// <summary>
/// One minute of an export job's delivery: objects Braze took, objects it refused (failed rows), objects whose request
/// needed more than one attempt (retried), and 429 answers (rate limited, retried or not).
/// </summary>
internal sealed record ExportMinute(DateTimeOffset Minute, long Sent, long Failed, long Retried, long RateLimited);
