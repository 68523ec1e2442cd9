using Renci.SshNet;
using Sluice.Import.Sftp;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// The OpenSSH server the test script starts for SFTP tests, described by <c>SLUICE_TEST_SFTP</c>
/// (<c>host=..;port=..;user=..;password=..;key=private key path;hostkey=host public key path</c>). Without it the
/// tests that need it are skipped, except on CI (<c>CI=true</c>), where a missing server is a failure.
/// </summary>
public sealed record SftpTestServer(string Host, int Port, string User, string Password, string PrivateKey, string HostKeyFingerprint)
{
    public const string Variable = "SLUICE_TEST_SFTP";

    private static readonly Lazy<SftpTestServer?> Configured = new(Parse);

    /// <summary>The server, or skips the test (fails it on CI) with the reason.</summary>
    public static SftpTestServer Require()
    {
        if (Configured.Value is { } server) return server;
        var why = $"{Variable} is not set: these tests need the OpenSSH server that scripts/test.sh starts";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(why + " (CI=true: not skipped)");
        Assert.Skip(why);
        return null!;
    }

    /// <summary>The fingerprint as a person pastes it (SHA256:...).</summary>
    public string ShownFingerprint => "SHA256:" + HostKeyFingerprint;

    /// <summary>A client of the test server as its own user, to put files in place and look at them.</summary>
    public SftpClient Client()
    {
        var client = new SftpClient(Host, Port, User, Password);
        client.HostKeyReceived += (_, e) => e.CanTrust = e.FingerPrintSHA256 == HostKeyFingerprint;
        client.Connect();
        return client;
    }

    private static SftpTestServer? Parse()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.OrdinalIgnoreCase);
        return new SftpTestServer(
            parts["host"], int.Parse(parts["port"], System.Globalization.CultureInfo.InvariantCulture), parts["user"], parts["password"],
            File.ReadAllText(parts["key"]), Sluice.Import.Sftp.HostKeyFingerprint.OfPublicKeyLine(File.ReadAllText(parts["hostkey"])));
    }
}
