using System.Diagnostics;
using System.Globalization;
using Renci.SshNet;
using Sluice.Import;
using Sluice.Import.Pgp;
using Sluice.Import.Sftp;
using Sluice.Tests.Infrastructure;

namespace Sluice.Benchmarks;

/// <summary>
/// The SFTP side of a CSV import, alone: a file streamed through <see cref="SftpImportSource"/> from an OpenSSH
/// server on this machine, plain and PGP-encrypted (decrypted on the fly by <see cref="PgpDecryption"/>), against the
/// same bytes read from the local disk in the same run. The server is the one the test script starts
/// (<c>SLUICE_TEST_SFTP</c>); the file is a Braze segment export from <c>sluice braze-sim generate</c>.
/// </summary>
internal static class SftpBenchmark
{
    public static async Task<int> RunAsync(string file, int rounds)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine("needs a file: sluice braze-sim generate --users 500000 --out export.csv");
            return 2;
        }
        using var server = await BenchSftpServer.AttachOrStartAsync();
        if (server is null) return 2;
        var endpoint = server.Endpoint;

        var plain = await File.ReadAllBytesAsync(file);
        var keys = GenerateKeys(out var recipient);
        var encrypted = Encrypt(plain, recipient);
        var folder = $"bench-{Guid.NewGuid():N}";
        var encryptedPath = Path.Combine(Path.GetTempPath(), folder + ".csv.pgp");
        await File.WriteAllBytesAsync(encryptedPath, encrypted);
        Console.WriteLine($"file: {plain.Length / 1e6:F1} MB plain, {encrypted.Length / 1e6:F1} MB PGP (zip-compressed, AES-256); {rounds} rounds, median shown");

        var setup = await SftpConnection.OpenAsync(endpoint, new SftpOptions(), CancellationToken.None);
        using (var connection = setup.Connection ?? throw new InvalidOperationException(setup.Error))
        {
            var ci = connection.Client.ConnectionInfo;
            Console.WriteLine($"negotiated: {ci.CurrentServerEncryption} / {ci.CurrentServerHmacAlgorithm}, key exchange {ci.CurrentKeyExchangeAlgorithm}");
            connection.Client.CreateDirectory(folder);
            connection.Client.UploadFile(new MemoryStream(plain), $"{folder}/export.csv");
            connection.Client.UploadFile(new MemoryStream(encrypted), $"{folder}/export.csv.pgp");
        }
        plain = [];
        encrypted = [];

        var decryption = new PgpDecryption(keys);
        try
        {
            var rows = new List<(string Case, Func<Task<long>> Run)>
            {
                ("baseline: the plain file from the local disk", () => DrainAsync(File.OpenRead(file))),
                ("PGP decryption alone, from the local disk", () => DrainAsync(decryption.Decrypt(File.OpenRead(encryptedPath)))),
                ("SFTP transfer alone (SftpImportSource.OpenReadAsync)", () => OverSftpAsync(endpoint, folder, "export.csv", null)),
                ("SFTP transfer alone, 32 KiB requests", () => OverSftpAsync(endpoint, folder, "export.csv", null, 32 * 1024)),
                ("SFTP transfer alone, SSH.NET's defaults (aes128-ctr, hmac-sha2-256, 32 KiB)", () => WithDefaultsAsync(endpoint, $"{folder}/export.csv")),
                ("SFTP transfer + PGP decryption", () => OverSftpAsync(endpoint, folder, "export.csv.pgp", decryption)),
            };
            Console.WriteLine("| case | MB/s (plaintext) | wall s | CPU s | least CPU s | allocated MB |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, run) in rows)
            {
                var samples = new List<(double Wall, double Cpu, long Bytes, long Allocated)>();
                for (var i = 0; i < rounds; i++)
                {
                    GC.Collect();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var clock = Stopwatch.StartNew();
                    var bytes = await run();
                    var wall = clock.Elapsed.TotalSeconds;
                    samples.Add((wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, bytes, GC.GetTotalAllocatedBytes(precise: true) - allocated));
                }
                var median = samples.OrderBy(s => s.Wall).ElementAt(samples.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {median.Bytes / 1e6 / median.Wall:F0} | {median.Wall:F2} | {median.Cpu:F2} | {samples.Min(s => s.Cpu):F2} | {median.Allocated / 1e6:F0} |"));
            }
            Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (the files were held in memory once, to upload)");
        }
        finally
        {
            File.Delete(encryptedPath);
            var cleanup = await SftpConnection.OpenAsync(endpoint, new SftpOptions(), CancellationToken.None);
            using var connection = cleanup.Connection!;
            foreach (var name in new[] { "export.csv", "export.csv.pgp" }) connection.Client.DeleteFile($"{folder}/{name}");
            connection.Client.DeleteDirectory(folder);
        }
        return 0;
    }

    private static async Task<long> OverSftpAsync(SftpEndpoint endpoint, string folder, string name, IImportDecryption? decryption, uint? requestBytes = null)
    {
        var opened = await SftpConnection.OpenAsync(endpoint, new SftpOptions(), CancellationToken.None);
        if (requestBytes is { } size) opened.Connection!.Client.BufferSize = size;
        await using var source = new SftpImportSource(opened.Connection ?? throw new InvalidOperationException(opened.Error), decryption);
        ImportFile? file = null;
        await foreach (var f in source.ListAsync(folder, CancellationToken.None)) if (f.Name == name) file = f;
        var stream = await source.OpenReadAsync(file!, CancellationToken.None);
        return await DrainAsync(decryption is null ? stream : decryption.Decrypt(stream));
    }

    /// <summary>The same read through a client left as SSH.NET sets it up: what the import did before it chose its cipher and request size.</summary>
    private static async Task<long> WithDefaultsAsync(SftpEndpoint endpoint, string path)
    {
        using var client = new SftpClient(endpoint.Host, endpoint.Port, endpoint.Username, endpoint.Password!);
        await client.ConnectAsync(CancellationToken.None);
        return await DrainAsync(await client.OpenAsync(path, FileMode.Open, FileAccess.Read, CancellationToken.None));
    }

    /// <summary>Reads to the end in 64 KB pieces, as a CSV parser over the stream would.</summary>
    private static async Task<long> DrainAsync(Stream stream)
    {
        await using (stream)
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
            return total;
        }
    }

    private static PgpKeys GenerateKeys(out TestPgp recipient) => BenchPgp.GenerateKeys(out recipient);

    private static byte[] Encrypt(byte[] plain, TestPgp recipient)
    {
        var output = new MemoryStream();
        BenchPgp.Encrypt(new MemoryStream(plain), output, recipient, "export.csv");
        return output.ToArray();
    }
}
