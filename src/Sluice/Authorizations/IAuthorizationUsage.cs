namespace Sluice.Authorizations;

/// <summary>Which jobs use an authorization, so that deleting one a job still needs is refused.</summary>
internal interface IAuthorizationUsage
{
    /// <summary>The ids of the account's jobs, not completed, that list the authorization.</summary>
    Task<IReadOnlyList<string>> JobsUsingAsync(string accountId, string authId, CancellationToken ct);
}
