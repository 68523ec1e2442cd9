using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sluice.Import.Pgp;
using Sluice.Import.Sftp;
using Sluice.Import.Sftp.Managed;

namespace Sluice.Authorizations;

/// <summary>
/// SFTP authorizations (<see cref="SftpAuthorizationTypes"/>). Passwords, private keys, passphrases and PGP keys are
/// secrets: they are stored encrypted and never repeated, not even in an error (messages name the key only). Keys
/// are opened when the authorization is created, so that a wrong passphrase is a 400 then, not a failed import later.
/// </summary>
internal sealed class SftpAuthorizationProvider(IOptions<SftpOptions> options, IManagedDropBoxes dropBoxes)
    : IAuthorizationProvider, IProvisioningAuthorizationProvider
{
    public const string ProviderName = "sftp";

    public const string Type = "type";
    public const string Host = "host";
    public const string Port = "port";
    public const string Username = "username";
    public const string Password = "password";
    public const string PrivateKey = "private_key";
    public const string PrivateKeyPassphrase = "private_key_passphrase";
    public const string Fingerprint = "host_key_fingerprint";
    public const string PgpPrivateKey = "pgp_private_key";
    public const string PgpPassphrase = "pgp_passphrase";
    public const string PgpSignerPublicKey = "pgp_signer_public_key";
    private const string PublicKeyLine = "public_key";

    private const int MaxHost = 253;
    private const int MaxUsername = 128;
    private const int MaxPassword = 1024;
    private const int MaxKey = 32 * 1024;

    private static readonly string[] Connection = [Type, Host, Port, Username, Fingerprint];
    private static readonly string[] Login = [Password, PrivateKey, PrivateKeyPassphrase];
    private static readonly string[] Pgp = [PgpPrivateKey, PgpPassphrase, PgpSignerPublicKey];

    public string Name => ProviderName;

    public bool TryParse(JsonObject? config, [NotNullWhen(true)] out ProviderConfig? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (config is null) return Fail($"config is required: {{\"type\": one of {string.Join(", ", SftpAuthorizationTypes.All)}, ...}}", out error);
        if (!TryText(config, Type, 32, out var type, out error)) return false;
        if (type is null || !SftpAuthorizationTypes.All.Contains(type))
        {
            return Fail($"config.type must be one of {string.Join(", ", SftpAuthorizationTypes.All)}", out error);
        }
        string[] allowed = type switch
        {
            SftpAuthorizationTypes.Client => [.. Connection, .. Login],
            SftpAuthorizationTypes.ClientPgp => [.. Connection, .. Login, .. Pgp],
            SftpAuthorizationTypes.PublicKey => Connection,
            _ => [Type],
        };
        var unknown = config.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k));
        if (unknown is not null)
        {
            return Fail(type == SftpAuthorizationTypes.Managed
                ? $"config.{unknown} is not a setting of a managed drop box: Sluice chooses its host, user and password"
                : $"config.{unknown} is not a setting of an SFTP {type} authorization (expected {string.Join(", ", allowed)})", out error);
        }
        if (type == SftpAuthorizationTypes.Managed)
        {
            // The login is made when the authorization is created (ProvisionAsync), so that nothing exists for a bad request.
            if (dropBoxes.Unavailable is { } why) return Fail(why, out error);
            parsed = new ProviderConfig(new JsonObject { [Type] = type }, new JsonObject());
            return true;
        }

        var shown = new JsonObject { [Type] = type };
        var secrets = new JsonObject();
        if (!TryEndpoint(config, shown, out error)) return false;
        if (type == SftpAuthorizationTypes.PublicKey)
        {
            var pair = OpenSshKeyPair.Generate("sluice");
            shown[PublicKeyLine] = pair.PublicKeyLine;
            secrets[PrivateKey] = pair.PrivateKey;
            shown["auth_methods"] = new JsonArray("public_key");
            parsed = new ProviderConfig(shown, secrets);
            return true;
        }
        if (!TryLogin(config, shown, secrets, out error)) return false;
        if (type == SftpAuthorizationTypes.ClientPgp && !TryPgp(config, shown, secrets, out error)) return false;
        parsed = new ProviderConfig(shown, secrets);
        return true;
    }

    public async Task<ConnectionTest> TestAsync(JsonObject publicConfig, JsonObject secrets, CancellationToken ct)
    {
        if (!TryEndpoint(publicConfig, secrets, dropBoxes, out var endpoint, out var unavailable)) return new ConnectionTest(false, 0, unavailable);
        var opened = await SftpConnection.OpenAsync(endpoint, options.Value, ct);
        var seen = opened.SeenFingerprint is null ? null : HostKeyFingerprint.Show(opened.SeenFingerprint);
        if (opened.Connection is not { } connection) return new ConnectionTest(false, 0, opened.Error!) { HostKeyFingerprint = seen };
        using (connection)
        {
            try
            {
                var entries = 0;
                await foreach (var entry in connection.Client.ListDirectoryAsync(".", ct))
                {
                    if (entry.Name is not "." and not "..") entries++;
                }
                return new ConnectionTest(true, 200, $"logged in to {endpoint.Host}:{endpoint.Port} as \"{endpoint.Username}\"; the login directory lists {entries} entries")
                {
                    HostKeyFingerprint = seen,
                    Entries = entries,
                };
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or IOException or TimeoutException)
            {
                return new ConnectionTest(false, 0, $"logged in to {endpoint.Host}:{endpoint.Port}, but listing the login directory failed: {e.Message}")
                {
                    HostKeyFingerprint = seen,
                };
            }
        }
    }

    public async Task<Provisioning> ProvisionAsync(string authorizationId, ProviderConfig config, CancellationToken ct)
    {
        if ((string?)config.Public[Type] != SftpAuthorizationTypes.Managed) return Provisioning.Done(config);
        if (dropBoxes.Unavailable is { } why) return Provisioning.Refused(409, why);
        DropBoxLogin login;
        try
        {
            login = await dropBoxes.CreateAsync(authorizationId, ct);
        }
        catch (InvalidOperationException e)
        {
            // A system tool failed (useradd, sshd's reload): the server's trouble, not the request's; the reason names no secret.
            return Provisioning.Refused(503, $"the drop box could not be made: {e.Message}");
        }
        var shown = new JsonObject
        {
            [Type] = SftpAuthorizationTypes.Managed,
            [Host] = dropBoxes.Host,
            [Port] = dropBoxes.Port,
            [Username] = login.Username,
            [Fingerprint] = HostKeyFingerprint.Show(dropBoxes.HostKeyFingerprint),
        };
        var credentials = new JsonObject
        {
            [Host] = dropBoxes.Host,
            [Port] = dropBoxes.Port,
            [Username] = login.Username,
            [Password] = login.Password,
            [Fingerprint] = HostKeyFingerprint.Show(dropBoxes.HostKeyFingerprint),
        };
        return Provisioning.Done(new ProviderConfig(shown, new JsonObject { [Password] = login.Password }), credentials);
    }

    public Task DeprovisionAsync(string authorizationId, JsonObject publicConfig, CancellationToken ct) =>
        (string?)publicConfig[Type] == SftpAuthorizationTypes.Managed && (string?)publicConfig[Username] is { } user
            ? dropBoxes.RemoveAsync(user, ct)
            : Task.CompletedTask;

    /// <summary>
    /// The login of a stored config (validated when it was created). A managed drop box is reached where this node's
    /// server listens now, which may differ from the address shown to uploaders; false when that server is not running.
    /// </summary>
    public static bool TryEndpoint(
        JsonObject publicConfig, JsonObject secrets, IManagedDropBoxes dropBoxes, [NotNullWhen(true)] out SftpEndpoint? endpoint, [NotNullWhen(false)] out string? unavailable)
    {
        endpoint = Endpoint(publicConfig, secrets);
        unavailable = null;
        if ((string?)publicConfig[Type] != SftpAuthorizationTypes.Managed) return true;
        if (dropBoxes.Unavailable is { } why)
        {
            endpoint = null;
            unavailable = $"the drop box is not served: {why}";
            return false;
        }
        endpoint = endpoint with { Host = dropBoxes.ConnectHost, Port = dropBoxes.Port, HostKeyFingerprint = dropBoxes.HostKeyFingerprint };
        return true;
    }

    private static SftpEndpoint Endpoint(JsonObject publicConfig, JsonObject secrets)
    {
        HostKeyFingerprint.TryNormalize((string?)publicConfig[Fingerprint], out var fingerprint);
        return new SftpEndpoint(
            (string)publicConfig[Host]!,
            (int)publicConfig[Port]!,
            (string)publicConfig[Username]!,
            (string?)secrets[Password],
            (string?)secrets[PrivateKey],
            (string?)secrets[PrivateKeyPassphrase],
            fingerprint ?? "");
    }

    private static bool TryEndpoint(JsonObject config, JsonObject shown, [NotNullWhen(false)] out string? error)
    {
        if (!TryText(config, Host, MaxHost, out var host, out error)) return false;
        if (string.IsNullOrWhiteSpace(host)) return Fail("config.host is required: the SFTP server's name or address", out error);
        host = host.Trim();
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown) return Fail("config.host is not a host name or an IP address", out error);

        var port = 22;
        if (config[Port] is { } p)
        {
            if (p is not JsonValue pv || !pv.TryGetValue<int>(out port) || port is < 1 or > 65535)
            {
                return Fail("config.port must be a whole number from 1 to 65535", out error);
            }
        }

        if (!TryText(config, Username, MaxUsername, out var user, out error)) return false;
        if (string.IsNullOrWhiteSpace(user)) return Fail("config.username is required", out error);
        if (user.Any(char.IsControl) || user.Trim() != user) return Fail("config.username must not have control characters or surrounding spaces", out error);

        if (!TryText(config, Fingerprint, 128, out var pinned, out error)) return false;
        if (pinned is null) return Fail("config.host_key_fingerprint is required: the server's SHA-256 host key fingerprint, as `ssh-keygen -lf` prints it (SHA256:...)", out error);
        if (!HostKeyFingerprint.TryNormalize(pinned, out var fingerprint))
        {
            return Fail("config.host_key_fingerprint must be a SHA-256 fingerprint, as `ssh-keygen -lf` prints it (SHA256: and 43 base64 characters)", out error);
        }
        shown[Host] = host;
        shown[Port] = port;
        shown[Username] = user;
        shown[Fingerprint] = HostKeyFingerprint.Show(fingerprint);
        return true;
    }

    private static bool TryLogin(JsonObject config, JsonObject shown, JsonObject secrets, [NotNullWhen(false)] out string? error)
    {
        if (!TryText(config, Password, MaxPassword, out var password, out error)) return false;
        if (!TryText(config, PrivateKey, MaxKey, out var key, out error)) return false;
        if (!TryText(config, PrivateKeyPassphrase, MaxPassword, out var passphrase, out error)) return false;
        if (string.IsNullOrEmpty(password)) password = null;
        if (string.IsNullOrWhiteSpace(key)) key = null;
        if (password is null && key is null) return Fail("config.password or config.private_key is required (or both)", out error);
        if (passphrase is not null && key is null) return Fail("config.private_key_passphrase is given without config.private_key", out error);
        var methods = new JsonArray();
        if (key is not null)
        {
            try
            {
                using var opened = SftpConnection.LoadKey(key, passphrase);
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
            {
                return Fail(string.IsNullOrEmpty(passphrase)
                    ? "config.private_key is not an OpenSSH private key, or it is encrypted and config.private_key_passphrase is missing"
                    : "config.private_key cannot be opened: not an OpenSSH private key, or config.private_key_passphrase is wrong", out error);
            }
            secrets[PrivateKey] = key;
            if (!string.IsNullOrEmpty(passphrase)) secrets[PrivateKeyPassphrase] = passphrase;
            methods.Add("private_key");
        }
        if (password is not null)
        {
            secrets[Password] = password;
            methods.Add("password");
        }
        shown["auth_methods"] = methods;
        return true;
    }

    private static bool TryPgp(JsonObject config, JsonObject shown, JsonObject secrets, [NotNullWhen(false)] out string? error)
    {
        if (!TryText(config, PgpPrivateKey, MaxKey, out var key, out error)) return false;
        if (!TryText(config, PgpPassphrase, MaxPassword, out var passphrase, out error)) return false;
        if (!TryText(config, PgpSignerPublicKey, MaxKey, out var signer, out error)) return false;
        if (string.IsNullOrWhiteSpace(key)) return Fail("config.pgp_private_key is required: an ASCII-armored PGP private key", out error);
        if (!PgpKeys.TryLoad(key, passphrase, signer, out var keys, out error)) return false;
        secrets[PgpPrivateKey] = key;
        if (!string.IsNullOrEmpty(passphrase)) secrets[PgpPassphrase] = passphrase;
        shown["pgp_key_ids"] = new JsonArray([.. keys.DecryptionKeyIds.Select(id => (JsonNode)id)]);
        if (!string.IsNullOrWhiteSpace(signer))
        {
            // A public key, but kept with the secrets: it is long, and what people need to see is which key it is.
            secrets[PgpSignerPublicKey] = signer;
            shown["pgp_signer_key_ids"] = new JsonArray([.. keys.SignerKeyIds.Select(id => (JsonNode)id)]);
        }
        return true;
    }

    /// <summary>A string member, or null when absent; false (with the key named) when it is another JSON type or too long.</summary>
    private static bool TryText(JsonObject config, string name, int max, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (config[name] is not { } node) return true;
        if (node is not JsonValue v || !v.TryGetValue(out value)) return Fail($"config.{name} must be a string", out error);
        if (value.Length > max) return Fail($"config.{name} is longer than {max} characters", out error);
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
