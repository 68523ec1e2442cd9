using System.Text.Json.Nodes;

namespace Sluice.Authorizations;

/// <summary>
/// A provider whose authorizations own something outside the store (a managed SFTP drop box and its login): it is
/// made when the authorization is created, before it is stored, and removed when the authorization is deleted.
/// </summary>
internal interface IProvisioningAuthorizationProvider
{
    /// <summary>
    /// Provisions for a new authorization. The answer is the config to store (it may add what was provisioned) and
    /// what the create response shows once (a generated password), or an error for a 4xx.
    /// </summary>
    Task<Provisioning> ProvisionAsync(string authorizationId, ProviderConfig config, CancellationToken ct);

    /// <summary>Removes what <see cref="ProvisionAsync"/> made; nothing when there was nothing.</summary>
    Task DeprovisionAsync(string authorizationId, JsonObject publicConfig, CancellationToken ct);
}

/// <summary>The outcome of <see cref="IProvisioningAuthorizationProvider.ProvisionAsync"/>.</summary>
internal sealed record Provisioning(ProviderConfig? Config, JsonObject? ShownOnce, int Status, string? Error)
{
    public static Provisioning Done(ProviderConfig config, JsonObject? shownOnce = null) => new(config, shownOnce, 0, null);

    public static Provisioning Refused(int status, string error) => new(null, null, status, error);
}
