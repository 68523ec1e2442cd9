using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sluice.Import.Sftp.Managed;

/// <summary>
/// The managed drop-box sshd: healthy while it listens (or when drop boxes are not enabled), degraded while it is
/// down, being restarted or unable to start. Only degraded: collect and the API still work without it, and taking
/// the node out of rotation would stop them for no gain.
/// </summary>
internal sealed class ManagedSftpHealthCheck(ManagedSftpServer server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = server.Status;
        if (!status.Enabled) return Task.FromResult(HealthCheckResult.Healthy("managed SFTP drop boxes are not enabled"));
        var data = new Dictionary<string, object> { ["restarts"] = status.Restarts, ["restarting"] = status.Restarting };
        if (status.LastExit is { } exit) data["last_exit"] = exit;
        return Task.FromResult(status.Unavailable is { } why
            ? HealthCheckResult.Degraded(why, data: data)
            : HealthCheckResult.Healthy($"listening on port {server.Port}", data));
    }
}
