namespace Sluice.Processing.Lag;

/// <summary>
/// The stored per-minute lag of streams (written by processing with each checkpoint, see
/// <see cref="Profiles.IProfileBatch.SaveStreamLagAsync"/>), kept for <see cref="StreamLagRecorder.Retention"/>.
/// </summary>
internal interface IStreamLagStore
{
    /// <summary>The minutes of one stream from <paramref name="since"/>, oldest first; minutes with no event applied are absent.</summary>
    Task<IReadOnlyList<StreamLagMinute>> MinutesAsync(string accountId, string stream, DateTimeOffset since, CancellationToken ct);
}
