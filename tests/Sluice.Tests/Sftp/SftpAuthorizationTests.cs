using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sluice.Import;

namespace Sluice.Tests.Sftp;

/// <summary>
/// SFTP authorizations against the real OpenSSH server of the test script: password and key logins, the pinned host
/// key, the test endpoint's answers (fingerprint seen, and each failure with its reason), and secrets that appear in
/// no response and no log line.
/// </summary>
public sealed class SftpAuthorizationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    internal static JsonObject Client(SftpTestServer sftp, string? password = null, string? privateKey = null, string? fingerprint = null, string type = "client")
    {
        var config = new JsonObject
        {
            ["type"] = type,
            ["host"] = sftp.Host,
            ["port"] = sftp.Port,
            ["username"] = sftp.User,
            ["host_key_fingerprint"] = fingerprint ?? sftp.ShownFingerprint,
        };
        if (password is not null) config["password"] = password;
        if (privateKey is not null) config["private_key"] = privateKey;
        return new JsonObject { ["provider"] = "sftp", ["label"] = "Customer SFTP", ["config"] = config };
    }

    internal static async Task<(string Id, JsonObject Data, string Text)> CreateAsync(TestServer s, string token, JsonObject body)
    {
        var response = await s.Http.PostJsonAsync($"/api/auth?key={token}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var data = JsonNode.Parse(text)!["data"]!.AsObject();
        return ((string)data["id"]!, data, text);
    }

    private async Task<(JsonObject Data, string Text)> TestAsync(string id, string token)
    {
        var response = await S.Http.PostAsync($"/api/auth/{id}/test?key={token}", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonNode.Parse(text)!["data"]!.AsObject(), text);
    }

    [Fact]
    public async Task A_password_authorization_tests_ok_reports_the_fingerprint_it_saw_and_shows_the_password_nowhere()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        var (id, created, createdText) = await CreateAsync(S, token, Client(sftp, password: sftp.Password));
        var config = created["config"]!.AsObject();
        Assert.Equal("client", (string)config["type"]!);
        Assert.Equal(sftp.Host, (string)config["host"]!);
        Assert.Equal(sftp.Port, (int)config["port"]!);
        Assert.Equal(sftp.User, (string)config["username"]!);
        Assert.Equal(sftp.ShownFingerprint, (string)config["host_key_fingerprint"]!);
        Assert.Equal(["password"], config["auth_methods"]!.AsArray().Select(m => (string)m!));
        Assert.Null(config["password"]);

        var (test, testText) = await TestAsync(id, token);
        Assert.True((bool)test["ok"]!, testText);
        Assert.Equal(sftp.ShownFingerprint, (string)test["host_key_fingerprint"]!);
        Assert.NotNull(test["entries"]);

        var texts = new[]
        {
            createdText, testText,
            await S.Http.GetStringAsync($"/api/auth/{id}?key={token}"),
            await S.Http.GetStringAsync($"/api/auth?auth_type=sftp&key={token}"),
        };
        Assert.All(texts, t => Assert.DoesNotContain(sftp.Password, t, StringComparison.Ordinal));
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(sftp.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_private_key_authorization_logs_in_with_the_key_and_never_shows_it()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        var (id, created, createdText) = await CreateAsync(S, token, Client(sftp, privateKey: sftp.PrivateKey));
        Assert.Equal(["private_key"], created["config"]!["auth_methods"]!.AsArray().Select(m => (string)m!));

        var (test, testText) = await TestAsync(id, token);
        Assert.True((bool)test["ok"]!, testText);
        var keyBody = sftp.PrivateKey.Split('\n')[1];
        Assert.DoesNotContain(keyBody, createdText, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, await S.Http.GetStringAsync($"/api/auth/{id}?key={token}"), StringComparison.Ordinal);
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(keyBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_key_that_is_not_the_pinned_one_is_refused_by_the_test_and_by_import_sources()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        var other = "SHA256:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');
        var (id, _, _) = await CreateAsync(S, token, Client(sftp, password: sftp.Password, fingerprint: other));

        var (test, text) = await TestAsync(id, token);
        Assert.False((bool)test["ok"]!, text);
        Assert.Contains("host key mismatch", (string)test["message"]!, StringComparison.Ordinal);
        Assert.Equal(sftp.ShownFingerprint, (string)test["host_key_fingerprint"]!);
        Assert.DoesNotContain(sftp.Password, text, StringComparison.Ordinal);

        var opening = await S.Services.GetRequiredService<IImportSources>().OpenAsync(S.Account.Id, id, CancellationToken.None);
        Assert.Null(opening.Source);
        Assert.Contains("host key mismatch", opening.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_a_refused_login_without_repeating_it()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        const string wrong = "Not-The-Password-8731";
        var (id, _, _) = await CreateAsync(S, token, Client(sftp, password: wrong));

        var (test, text) = await TestAsync(id, token);
        Assert.False((bool)test["ok"]!, text);
        Assert.Contains("login refused", (string)test["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
        Assert.DoesNotContain(S.Logs.Lines, l => l.Contains(wrong, StringComparison.Ordinal));

        var opening = await S.Services.GetRequiredService<IImportSources>().OpenAsync(S.Account.Id, id, CancellationToken.None);
        Assert.Contains("login refused", opening.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_listen_is_reported_as_unreachable()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var body = Client(sftp, password: sftp.Password);
        body["config"]!["port"] = closedPort;
        var (id, _, _) = await CreateAsync(S, token, body);

        var (test, text) = await TestAsync(id, token);
        Assert.False((bool)test["ok"]!, text);
        Assert.Contains("unreachable", (string)test["message"]!, StringComparison.Ordinal);
        Assert.Null(test["host_key_fingerprint"]);
    }

    [Fact]
    public async Task A_public_key_authorization_is_accepted_with_its_generated_public_key_and_refused_for_imports_as_export_only()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        var (id, created, text) = await CreateAsync(S, token, Client(sftp, type: "public_key"));
        var publicKey = (string)created["config"]!["public_key"]!;
        Assert.StartsWith("ssh-ed25519 ", publicKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);

        var opening = await S.Services.GetRequiredService<IImportSources>().OpenAsync(S.Account.Id, id, CancellationToken.None);
        Assert.Null(opening.Source);
        Assert.Contains("public-key", opening.Error, StringComparison.Ordinal);
        Assert.Contains("exports only", opening.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_sources_open_only_the_accounts_own_sftp_authorizations()
    {
        var sftp = SftpTestServer.Require();
        var token = await S.TokenAsync("data_manager");
        var (id, _, _) = await CreateAsync(S, token, Client(sftp, password: sftp.Password));
        var sources = S.Services.GetRequiredService<IImportSources>();

        var (otherNumber, otherToken) = await S.OtherAccountAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await S.Http.PostAsync($"/api/auth/{id}/test?key={otherToken}", null)).StatusCode);
        var otherAccount = (await S.Services.GetRequiredService<Sluice.Accounts.IAccountStore>().FindByNumberAsync(otherNumber, CancellationToken.None))!;
        var refused = await sources.OpenAsync(otherAccount.Id, id, CancellationToken.None);
        Assert.Null(refused.Source);
        Assert.Contains("no authorization", refused.Error, StringComparison.Ordinal);

        var braze = new JsonObject
        {
            ["provider"] = "braze", ["label"] = "not a source",
            ["config"] = new JsonObject { ["api_key"] = "k-0123456789", ["rest_url"] = "http://127.0.0.1:9/" },
        };
        var (brazeId, _, _) = await CreateAsync(S, token, braze);
        var notSftp = await sources.OpenAsync(S.Account.Id, brazeId, CancellationToken.None);
        Assert.Null(notSftp.Source);
        Assert.Contains("braze authorization", notSftp.Error, StringComparison.Ordinal);

        var opened = await sources.OpenAsync(S.Account.Id, id, CancellationToken.None);
        Assert.True(opened.Source is not null, opened.Error);
        await opened.Source.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"type":"ftp"}""", "config.type")]
    [InlineData("""{"type":1}""", "config.type")]
    [InlineData("""{"type":"client","port":22,"username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.host")]
    [InlineData("""{"type":"client","host":"a b","username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.host")]
    [InlineData("""{"type":"client","host":"h","port":0,"username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.port")]
    [InlineData("""{"type":"client","host":"h","port":"22","username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.port")]
    [InlineData("""{"type":"client","host":"h","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.username")]
    [InlineData("""{"type":"client","host":"h","username":"u","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.password or config.private_key")]
    [InlineData("""{"type":"client","host":"h","username":"u","password":"p"}""", "config.host_key_fingerprint")]
    [InlineData("""{"type":"client","host":"h","username":"u","password":"p","host_key_fingerprint":"MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"}""", "config.host_key_fingerprint")]
    [InlineData("""{"type":"client","host":"h","username":"u","private_key":"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.private_key")]
    [InlineData("""{"type":"client","host":"h","username":"u","password":"p","private_key_passphrase":"x","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.private_key_passphrase")]
    [InlineData("""{"type":"client","host":"h","username":"u","password":"p","pgp_private_key":"k","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.pgp_private_key")]
    [InlineData("""{"type":"client_pgp","host":"h","username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.pgp_private_key")]
    [InlineData("""{"type":"client_pgp","host":"h","username":"u","password":"p","pgp_private_key":"not armored","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.pgp_private_key")]
    [InlineData("""{"type":"managed","host":"h"}""", "config.host")]
    [InlineData("""{"type":"managed"}""", "Sluice:Sftp:Managed:Enabled")]
    [InlineData("""{"type":"public_key","host":"h","username":"u","password":"p","host_key_fingerprint":"SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE"}""", "config.password")]
    public async Task A_bad_sftp_config_is_a_400_naming_the_key(string config, string mentioned)
    {
        var token = await S.TokenAsync("data_manager");
        var body = $$"""{"provider":"sftp","label":"x","config":{{config}}}""";
        var message = await (await S.Http.PostRawAsync($"/api/auth?key={token}", body)).AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_pgp_passphrase_is_a_400_when_the_authorization_is_created_and_the_key_is_never_echoed()
    {
        var pgp = TestPgp.Generate("Sluice <pgp@sluice.test>", "the right passphrase");
        var token = await S.TokenAsync("data_manager");
        var body = new JsonObject
        {
            ["provider"] = "sftp",
            ["label"] = "pgp",
            ["config"] = new JsonObject
            {
                ["type"] = "client_pgp", ["host"] = "127.0.0.1", ["username"] = "u", ["password"] = "p",
                ["host_key_fingerprint"] = "SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE",
                ["pgp_private_key"] = pgp.ArmoredPrivateKey(), ["pgp_passphrase"] = "a wrong passphrase",
            },
        };
        var response = await S.Http.PostJsonAsync($"/api/auth?key={token}", body);
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("config.pgp_passphrase", message, StringComparison.Ordinal);
        Assert.DoesNotContain("a wrong passphrase", message, StringComparison.Ordinal);

        body["config"]!["pgp_passphrase"] = pgp.Passphrase;
        var (_, created, text) = await CreateAsync(S, token, body);
        Assert.Contains(created["config"]!["pgp_key_ids"]!.AsArray(), k => (string)k! == Sluice.Import.Pgp.PgpKeys.KeyId(pgp.EncryptionKey.KeyId));
        Assert.DoesNotContain(pgp.Passphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
    }
}
