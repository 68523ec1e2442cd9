using Sluice.EventLog;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.WebConsole;

/// <summary>
/// How far profiles are behind collect for an account, now: the age of the oldest event of its partition that
/// processing has not applied yet (zero when none waits), read the way the readiness check reads it.
/// </summary>
internal sealed class ProcessingLag(Partitioner partitioner, ProcessingProgress progress, IProfileStore profiles, IEventLog log, TimeProvider time)
{
    public async Task<TimeSpan> OfAccountAsync(string accountId, CancellationToken ct)
    {
        var partition = partitioner.For(accountId);
        var applied = Math.Max(progress.PositionOf(partition), (await profiles.PositionAsync(partition, ct)).Position);
        return await log.ReceivedAfterAsync(partition, applied, ct) is { } oldest
            ? TimeSpan.FromMilliseconds(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - oldest))
            : TimeSpan.Zero;
    }
}
