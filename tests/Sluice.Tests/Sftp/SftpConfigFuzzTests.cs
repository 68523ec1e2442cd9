using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Tests.Sftp;

/// <summary>
/// Every key of every SFTP authorization type, one at a time, given each hostile value (wrong JSON types, huge and
/// odd numbers, empty, NUL, lone surrogates, oversized strings, deep nesting): the answer is a 201 or a 4xx in the
/// JSON envelope, never a 5xx, and a secret's value never comes back in a refusal. No SFTP server is contacted.
/// </summary>
public sealed class SftpConfigFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] Secrets = ["password", "private_key", "private_key_passphrase", "pgp_private_key", "pgp_passphrase"];

    private static IEnumerable<string> Hostile()
    {
        yield return "null";
        yield return "true";
        yield return "0";
        yield return "-1";
        yield return "65536";
        yield return "1e400";
        yield return "123456789012345678901234567890";
        yield return "[]";
        yield return "{}";
        yield return "[\"a\",{\"b\":[1]}]";
        yield return "\"\"";
        yield return "\"   \"";
        yield return "\"a\\u0000b-secret-nul\"";
        yield return "\"\\uD800-secret-surrogate\"";
        yield return "\"../../etc/passwd\"";
        yield return "\"SHA256:\"";
        yield return "\"-----BEGIN OPENSSH PRIVATE KEY-----\\n\\n-----END OPENSSH PRIVATE KEY-----\"";
        yield return "\"-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\n-----END PGP PRIVATE KEY BLOCK-----\"";
        yield return "\"" + new string('k', 40_000) + "\"";
        yield return new string('[', 200) + new string(']', 200);
    }

    private static JsonObject Valid(string type) => new()
    {
        ["type"] = type,
        ["host"] = "127.0.0.1",
        ["port"] = 22,
        ["username"] = "fuzz",
        ["password"] = "fuzz-password-1",
        ["host_key_fingerprint"] = "SHA256:FNK90c5N+Nh75f+D87NXOW7GMGXt1Z6T+nbC6BF+UkE",
    };

    [Fact]
    public async Task Hostile_values_in_every_sftp_config_key_get_a_4xx_or_201_never_a_5xx_and_never_echo_a_secret()
    {
        var s = fixture.Server;
        var token = await s.TokenAsync("data_manager");
        var failures = new List<string>();
        var keys = new[] { "type", "host", "port", "username", "password", "private_key", "private_key_passphrase", "host_key_fingerprint",
            "pgp_private_key", "pgp_passphrase", "pgp_signer_public_key", "unknown" };
        foreach (var type in new[] { "client", "client_pgp", "public_key", "managed" })
        {
            foreach (var key in keys)
            {
                foreach (var value in Hostile())
                {
                    var config = Valid(type).ToJsonString();
                    var mutated = JsonNode.Parse(config)!.AsObject();
                    mutated.Remove(key);
                    var prefix = mutated.ToJsonString()[..^1] + (mutated.Count > 0 ? "," : "");
                    var body = "{\"provider\":\"sftp\",\"label\":\"fuzz\",\"config\":" + prefix + "\"" + key + "\":" + value + "}}";
                    var response = await s.Http.PostRawAsync($"/api/auth?key={token}", body);
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    var what = $"{type}.{key}={value[..Math.Min(40, value.Length)]}";
                    if (status >= 500 || text.Contains("   at ", StringComparison.Ordinal)) failures.Add($"{what}: {status} {text[..Math.Min(200, text.Length)]}");
                    else if (status != 201 && (status < 400 || JsonNode.Parse(text)?["status"] is not { } envelope || (int)envelope != status)) failures.Add($"{what}: {status} without the envelope");
                    if (status != 201 && Secrets.Contains(key) && value.Contains("secret", StringComparison.Ordinal) && text.Contains("secret-", StringComparison.Ordinal))
                    {
                        failures.Add($"{what}: the refusal repeats the secret");
                    }
                }
            }
        }
        Assert.Empty(failures);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync($"/api/auth?key={token}")).StatusCode);
    }
}
