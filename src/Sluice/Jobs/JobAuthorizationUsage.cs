using Sluice.Authorizations;

namespace Sluice.Jobs;

/// <summary>
/// Authorizations in use are those listed by a job that can still run: a completed (or cancelled) job no longer
/// needs its authorization, every other state may resume.
/// </summary>
internal sealed class JobAuthorizationUsage(IJobStore jobs) : IAuthorizationUsage
{
    public async Task<IReadOnlyList<string>> JobsUsingAsync(string accountId, string authorizationId, CancellationToken ct) =>
        [.. (await jobs.ListAsync(accountId, ct))
            .Where(j => j.Status != JobStatus.Completed && j.AuthIds.Contains(authorizationId, StringComparer.Ordinal))
            .Select(j => j.Id)];
}
