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
        string accountId, IAuthorizationProvider provider, string label, string? description, ProviderConfig config, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var secrets = _protector.Protect(Encoding.UTF8.GetBytes(config.Secrets.ToJsonString()));
        var stored = new StoredAuthorization(
            Guid.NewGuid().ToString("N"), accountId, provider.Name, label, description, config.Public.ToJsonString(), secrets, now, now);
        await store.InsertAsync(stored, ct);
        return stored;
    }

    public Task<IReadOnlyList<StoredAuthorization>> ListAsync(string accountId, CancellationToken ct) => store.ListAsync(accountId, ct);

    public Task<StoredAuthorization?> GetAsync(string accountId, string id, CancellationToken ct) => store.GetAsync(accountId, id, ct);

    /// <summary>The jobs that use the authorization (nothing is deleted then), or none once it is deleted.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string accountId, string id, CancellationToken ct)
    {
        var jobs = await usage.JobsUsingAsync(accountId, id, ct);
        if (jobs.Count > 0) return jobs;
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
