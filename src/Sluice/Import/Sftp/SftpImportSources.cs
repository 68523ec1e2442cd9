using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sluice.Authorizations;
using Sluice.Import.Pgp;
using Sluice.Import.Sftp.Managed;

namespace Sluice.Import.Sftp;

/// <summary>
/// The real <see cref="IImportSources"/>: opens the SFTP server behind an authorization of the account (the
/// customer's, or Sluice's own drop box), logged in and host key checked, with PGP decryption for
/// <c>client_pgp</c>. Every refusal says why, for the job log: no secret is ever part of it.
/// </summary>
internal sealed class SftpImportSources(AuthorizationService authorizations, IManagedDropBoxes dropBoxes, IOptions<SftpOptions> options) : IImportSources
{
    public async Task<ImportSourceOpening> OpenAsync(string accountId, string authorizationId, CancellationToken ct)
    {
        var stored = await authorizations.GetAsync(accountId, authorizationId, ct);
        if (stored is null) return ImportSourceOpening.Refused($"no authorization with id \"{authorizationId}\" in this account");
        if (!string.Equals(stored.Provider, SftpAuthorizationProvider.ProviderName, StringComparison.Ordinal))
        {
            return ImportSourceOpening.Refused(
                $"no import source for this authorization: \"{authorizationId}\" is a {stored.Provider} authorization, and CSV imports read from SFTP");
        }
        var publicConfig = JsonNode.Parse(stored.PublicConfig)!.AsObject();
        var type = (string?)publicConfig[SftpAuthorizationProvider.Type];
        if (type == SftpAuthorizationTypes.PublicKey)
        {
            return ImportSourceOpening.Refused(
                $"authorization \"{authorizationId}\" is a public-key SFTP authorization, which is for SFTP exports only; " +
                "import from a client, client_pgp or managed SFTP authorization");
        }
        var secrets = authorizations.Secrets(stored);

        IImportDecryption? decryption = null;
        if (type == SftpAuthorizationTypes.ClientPgp)
        {
            if (!PgpKeys.TryLoad((string)secrets[SftpAuthorizationProvider.PgpPrivateKey]!, (string?)secrets[SftpAuthorizationProvider.PgpPassphrase],
                    (string?)secrets[SftpAuthorizationProvider.PgpSignerPublicKey], out var keys, out var error))
            {
                return ImportSourceOpening.Refused($"authorization \"{authorizationId}\": {error}");
            }
            decryption = new PgpDecryption(keys);
        }

        if (!SftpAuthorizationProvider.TryEndpoint(publicConfig, secrets, dropBoxes, out var endpoint, out var unavailable))
        {
            return ImportSourceOpening.Refused($"authorization \"{authorizationId}\": {unavailable}");
        }
        var opened = await SftpConnection.OpenAsync(endpoint, options.Value, ct);
        return opened.Connection is { } connection
            ? ImportSourceOpening.Opened(new SftpImportSource(connection, decryption))
            : ImportSourceOpening.Refused($"authorization \"{authorizationId}\": {opened.Error}");
    }
}
