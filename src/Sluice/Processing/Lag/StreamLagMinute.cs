namespace Sluice.Processing.Lag;

/// <summary>
/// The lag from collect to profile of one stream's events applied in one minute: how many, the longest, and the 95th
/// percentile, in milliseconds. <paramref name="MinuteMs"/> is the minute's start in Unix milliseconds.
/// </summary>
internal sealed record StreamLagMinute(string AccountId, string Stream, long MinuteMs, long Events, long MaxMs, long P95Ms);
