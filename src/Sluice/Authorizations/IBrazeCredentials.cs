using Sluice.Export.Braze;

namespace Sluice.Authorizations;

/// <summary>The decrypted Braze workspace behind an authorization, for the export that uses it; null when it is gone or not Braze.</summary>
internal interface IBrazeCredentials
{
    Task<BrazeWorkspace?> WorkspaceAsync(string accountId, string authorizationId, CancellationToken ct);
}
