using System.Diagnostics;
using System.Text;
using Sluice.Import.Pgp;

namespace Sluice.Tests.Sftp;

/// <summary>
/// Files and keys made by GnuPG itself, as customers make them: today's default keys (Ed25519 signing, Curve25519
/// encryption) and RSA, a file signed and encrypted in one pass. Skipped where gpg is not installed.
/// </summary>
public sealed class GpgInteropTests
{
    [Theory]
    [InlineData("future-default", "default")]
    [InlineData("rsa2048", "sign,encr")]
    public async Task A_file_gpg_signed_and_encrypted_decrypts_and_verifies_with_the_keys_gpg_exported(string algorithm, string usage)
    {
        Assert.SkipUnless(File.Exists("/usr/bin/gpg"), "gpg is not installed at /usr/bin/gpg");
        var home = Directory.CreateTempSubdirectory("sluice-gpg-").FullName;
        try
        {
            const string passphrase = "gpg interop passphrase";
            const string user = "interop@sluice.test";
            await GpgAsync(home, passphrase, "--quick-gen-key", $"Sluice Interop <{user}>", algorithm, usage, "never");
            var secretKey = await GpgAsync(home, passphrase, "--armor", "--export-secret-keys", user);
            var publicKey = await GpgAsync(home, passphrase, "--armor", "--export", user);
            var plain = PgpDecryptionTests.Csv(2_000);
            var plainPath = Path.Combine(home, "export.csv");
            File.WriteAllBytes(plainPath, plain);
            var encryptedPath = plainPath + ".gpg";
            await GpgAsync(home, passphrase, "--trust-model", "always", "--recipient", user, "--sign", "--encrypt", "--output", encryptedPath, plainPath);

            Assert.True(PgpKeys.TryLoad(secretKey, passphrase, publicKey, out var keys, out var error), error);
            var decrypted = PgpDecryptionTests.ReadAll(new PgpDecryption(keys).Decrypt(new ForwardOnlyStream(File.OpenRead(encryptedPath))));
            Assert.Equal(plain, decrypted);
        }
        finally
        {
            // gpg started an agent for this home folder: stop it before the folder goes.
            await RunAsync("gpgconf", home, null, "--kill", "gpg-agent");
            Directory.Delete(home, recursive: true);
        }
    }

    private static Task<string> GpgAsync(string home, string passphrase, params string[] arguments) =>
        RunAsync("gpg", home, passphrase, ["--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0", .. arguments]);

    private static async Task<string> RunAsync(string file, string home, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["GNUPGHOME"] = home;
        using var process = Process.Start(start)!;
        if (input is not null) process.StandardInput.WriteLine(input);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var message = await error;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {message}");
        return output;
    }
}
