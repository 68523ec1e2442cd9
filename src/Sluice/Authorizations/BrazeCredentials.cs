using System.Text.Json.Nodes;
using Sluice.Export.Braze;

namespace Sluice.Authorizations;

/// <summary>The Braze workspace of a stored Braze authorization, decrypted for the export that uses it.</summary>
internal sealed class BrazeCredentials(AuthorizationService authorizations) : IBrazeCredentials
{
    public async Task<BrazeWorkspace?> WorkspaceAsync(string accountId, string authorizationId, CancellationToken ct)
    {
        var stored = await authorizations.GetAsync(accountId, authorizationId, ct);
        if (stored is null || !string.Equals(stored.Provider, BrazeAuthorizationProvider.ProviderName, StringComparison.Ordinal)) return null;
        return BrazeAuthorizationProvider.Workspace(JsonNode.Parse(stored.PublicConfig)!.AsObject(), authorizations.Secrets(stored));
    }
}
