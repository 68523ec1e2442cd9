using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;

namespace Sluice.Authorizations;

/// <summary>
/// Creates, reads, deletes and tests authorizations. Secrets are encrypted with Data Protection before they reach the
/// store and decrypted only to be used (a connection test, an export), never to be shown.
/// </summary>
internal sealed class AuthorizationService(
    IAuthorizationStore store, AuthorizationProviders providers, IAuthorizationUsage usage, IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>A purpose of its own: a payload protected for anything else cannot be unprotected as a secret here.</summary>
    private readonly IDataProtector _protector = protection.CreateProtector("Sluice.Authorizations.Secrets.v1");

    public async Task<StoredAuthorization> CreateAsync(
        string accountId, IAuthorizationProvider provider, string label, string? description, ProviderConfig config, CancellationToken ct) =>
        (await CreateProvisionedAsync(accountId, provider, label, description, config, ct)).Authorization!;

    /// <summary>
    /// Creates an authorization; a provider that owns something outside the store (a drop box) makes it first and may
    /// answer what is shown once, or refuse. What was made is removed again if storing fails.
    /// </summary>
    public async Task<CreatedAuthorization> CreateProvisionedAsync(
        string accountId, IAuthorizationProvider provider, string label, string? description, ProviderConfig config, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N");
        JsonObject? shownOnce = null;
        var provisioning = provider as IProvisioningAuthorizationProvider;
        if (provisioning is not null)
        {
            var made = await provisioning.ProvisionAsync(id, config, ct);
            if (made.Config is null) return new CreatedAuthorization(null, null, made.Status, made.Error);
            config = made.Config;
            shownOnce = made.ShownOnce;
        }
        var now = time.GetUtcNow();
        var secrets = _protector.Protect(Encoding.UTF8.GetBytes(config.Secrets.ToJsonString()));
        var stored = new StoredAuthorization(id, accountId, provider.Name, label, description, config.Public.ToJsonString(), secrets, now, now);
        try
        {
            await store.InsertAsync(stored, ct);
        }
        catch
        {
            if (provisioning is not null) await provisioning.DeprovisionAsync(id, config.Public, CancellationToken.None);
            throw;
        }
        return new CreatedAuthorization(stored, shownOnce, 0, null);
    }

    public Task<IReadOnlyList<StoredAuthorization>> ListAsync(string accountId, CancellationToken ct) => store.ListAsync(accountId, ct);

    public Task<StoredAuthorization?> GetAsync(string accountId, string id, CancellationToken ct) => store.GetAsync(accountId, id, ct);

    /// <summary>The jobs that use the authorization (nothing is deleted then), or none once it is deleted.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string accountId, string id, CancellationToken ct)
    {
        var jobs = await usage.JobsUsingAsync(accountId, id, ct);
        if (jobs.Count > 0) return jobs;
        var stored = await store.GetAsync(accountId, id, ct);
        if (stored is null) return [];
        // Access goes first: a drop box whose login outlived its authorization would still take uploads.
        if (providers.Find(stored.Provider) is IProvisioningAuthorizationProvider provisioning)
        {
            await provisioning.DeprovisionAsync(id, JsonNode.Parse(stored.PublicConfig)!.AsObject(), ct);
        }
        await store.DeleteAsync(accountId, id, ct);
        return [];
    }

    public async Task<ConnectionTest> TestAsync(StoredAuthorization authorization, CancellationToken ct)
    {
        var provider = providers.Find(authorization.Provider);
        if (provider is null) return new ConnectionTest(false, 0, $"provider \"{authorization.Provider}\" is not supported by this server");
        return await provider.TestAsync(JsonNode.Parse(authorization.PublicConfig)!.AsObject(), Secrets(authorization), ct);
    }

    /// <summary>The decrypted secret part of a config, for code that uses it; never for a response or a log.</summary>
    public JsonObject Secrets(StoredAuthorization authorization) =>
        JsonNode.Parse(_protector.Unprotect(authorization.ProtectedSecrets))!.AsObject();
}

/// <summary>A new authorization and what is shown only in its create response, or the status and error of a refusal.</summary>
internal sealed record CreatedAuthorization(StoredAuthorization? Authorization, JsonObject? ShownOnce, int Status, string? Error);
