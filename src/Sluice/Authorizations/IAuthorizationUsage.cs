namespace Sluice.Authorizations;

/// <summary>
/// Which jobs use an authorization, so that deleting it can be refused while they do. The jobs feature replaces the
/// default (registered with TryAdd), which knows of no job.
/// </summary>
internal interface IAuthorizationUsage
{
    Task<IReadOnlyList<string>> JobsUsingAsync(string accountId, string authorizationId, CancellationToken ct);
}

internal sealed class NoAuthorizationUsage : IAuthorizationUsage
{
    public Task<IReadOnlyList<string>> JobsUsingAsync(string accountId, string authorizationId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
