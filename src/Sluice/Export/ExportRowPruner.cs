namespace Sluice.Export;

/// <summary>Keeps export row logs to their last 30 days: once at start and every hour.</summary>
internal sealed class ExportRowPruner(IExportStateStore state, TimeProvider time, ILogger<ExportRowPruner> log) : BackgroundService
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await state.PruneRowsAsync(time.GetUtcNow() - Kept, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Pruning export row logs failed; the next hour tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
