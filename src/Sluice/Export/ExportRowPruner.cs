namespace Sluice.Export;

/// <summary>
/// Keeps export row logs to their last 30 days, and per-minute counters to the last 25 hours (the chart shows 24):
/// once at start and every hour.
/// </summary>
internal sealed class ExportRowPruner(IExportStateStore state, TimeProvider time, ILogger<ExportRowPruner> log) : BackgroundService
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    public static readonly TimeSpan MinutesKept = TimeSpan.FromHours(25);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await state.PruneRowsAsync(time.GetUtcNow() - Kept, stoppingToken);
                await state.PruneMinutesAsync(time.GetUtcNow() - MinutesKept, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Pruning export row logs failed; the next hour tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
