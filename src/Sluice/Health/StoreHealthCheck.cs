using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sluice.Storage.Sqlite;

namespace Sluice.Health;

/// <summary>Ready when the store answers a query.</summary>
internal sealed class StoreHealthCheck(SqliteDatabase db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await db.OpenAsync(cancellationToken);
            await c.ExecuteScalarAsync<long>("SELECT 1");
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("store unavailable", e);
        }
    }
}
