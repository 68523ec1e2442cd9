using System.Diagnostics;
using System.Globalization;
using Sluice.Import;
using Sluice.Import.Pgp;
using Sluice.Import.Sftp;

namespace Sluice.Benchmarks;

/// <summary>
/// Issue 11's measure in one run: a Braze segment export (<c>braze-sim generate</c>) on an OpenSSH server on this
/// machine, pulled over SFTP and imported into profiles with 20 audiences, plain and PGP-encrypted; beside them, in
/// the same run, the floor (a bare CsvHelper parse of the local file) and the SFTP transfer alone, and the ratio of
/// the import to their sum. CPU seconds are this process's (sshd's share is not counted).
/// </summary>
internal static class ImportSftpBenchmark
{
    public static async Task<int> RunAsync(int users)
    {
        using var server = await BenchSftpServer.AttachOrStartAsync();
        if (server is null) return 2;
        var dir = Directory.CreateTempSubdirectory("sluice-bench-import-sftp-").FullName;
        var folder = $"bench-{Guid.NewGuid():N}";
        try
        {
            var path = Path.Combine(dir, "segment.csv");
            if (await Cli.SluiceCli.Build().Parse(["braze-sim", "generate", "--users", users.ToString(CultureInfo.InvariantCulture), "--out", path]).InvokeAsync() != 0)
            {
                throw new InvalidOperationException("braze-sim generate failed");
            }
            var keys = BenchPgp.GenerateKeys(out var recipient);
            var encryptedPath = path + ".pgp";
            await using (var plain = File.OpenRead(path))
            await using (var output = File.Create(encryptedPath))
            {
                BenchPgp.Encrypt(plain, output, recipient, "segment.csv");
            }
            var size = new FileInfo(path).Length;
            Console.WriteLine($"import-sftp: a {users:N0}-row Braze segment export ({size / (1024.0 * 1024):0.0} MiB; PGP {new FileInfo(encryptedPath).Length / (1024.0 * 1024):0.0} MiB) " +
                              $"over SFTP from {server.Description}, into profiles with {ProcessingAudiences.All.Count} audiences");
            Console.WriteLine($"  load average before: {LoadAverage()}");

            using (var upload = await ConnectAsync(server.Endpoint))
            {
                upload.Client.CreateDirectory(folder);
                await using (var plain = File.OpenRead(path)) upload.Client.UploadFile(plain, $"{folder}/segment.csv");
                await using (var encrypted = File.OpenRead(encryptedPath)) upload.Client.UploadFile(encrypted, $"{folder}/segment.csv.pgp");
            }

            var (floor, floorCpu) = Measure(() => ImportBenchmark.Floor(path, out _));
            Line("floor: bare CsvHelper parse of the local file", floor, floorCpu, users);

            var transfer = await MeasureAsync(() => DrainAsync(server.Endpoint, folder, "segment.csv", null));
            Line("SFTP transfer alone (read to the end)", transfer.Wall, transfer.Cpu, users);

            var decryption = new PgpDecryption(keys);
            var plainRun = await ImportBenchmark.EndToEndAsync(Path.Combine(dir, "data-plain"), () => Open(server.Endpoint, decryption), await ListedAsync(server.Endpoint, folder, "segment.csv"));
            Report("end to end over SFTP, plain CSV → profiles + audiences", plainRun, users);

            var pgpRun = await ImportBenchmark.EndToEndAsync(Path.Combine(dir, "data-pgp"), () => Open(server.Endpoint, decryption), await ListedAsync(server.Endpoint, folder, "segment.csv.pgp"));
            Report("end to end over SFTP, PGP-encrypted → profiles + audiences", pgpRun, users);

            var sum = floor + transfer.Wall;
            var sumCpu = floorCpu + transfer.Cpu;
            Console.WriteLine($"  ratio import / (floor + transfer), plain:  {plainRun.Wall / sum:0.0}x wall, {plainRun.Cpu / sumCpu:0.0}x CPU");
            Console.WriteLine($"  ratio import / (floor + transfer), PGP:    {pgpRun.Wall / sum:0.0}x wall, {pgpRun.Cpu / sumCpu:0.0}x CPU");
            Console.WriteLine($"  goals: plain ≤ 15 s and ≤ 1 GiB peak RSS, PGP ≤ 20 s; load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            using var cleanup = await ConnectAsync(server.Endpoint);
            foreach (var name in new[] { "segment.csv", "segment.csv.pgp" })
            {
                if (cleanup.Client.Exists($"{folder}/{name}")) cleanup.Client.DeleteFile($"{folder}/{name}");
            }
            if (cleanup.Client.Exists(folder)) cleanup.Client.DeleteDirectory(folder);
        }
    }

    private static void Line(string what, TimeSpan wall, TimeSpan cpu, int rows) =>
        Console.WriteLine($"  {what,-60} {wall.TotalSeconds,7:0.00} s wall, CPU {cpu.TotalSeconds,6:0.00} s  ({rows / wall.TotalSeconds:N0} rows/s)");

    private static void Report(string what, ImportBenchmark.EndToEnd run, int rows)
    {
        Line(what, run.Wall, run.Cpu, rows);
        Console.WriteLine($"    rows stored / refused {run.Stored:N0} / {run.Rejected:N0}; file → log in {run.Imported.TotalSeconds:0.00} s; " +
                          $"peak RSS {run.PeakRss / (1024 * 1024):N0} MiB ({run.RssBefore / (1024 * 1024):N0} MiB before)");
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        run();
        return (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await run();
        return (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<SftpConnection> ConnectAsync(SftpEndpoint endpoint)
    {
        var opened = await SftpConnection.OpenAsync(endpoint, new SftpOptions(), CancellationToken.None);
        return opened.Connection ?? throw new InvalidOperationException(opened.Error);
    }

    /// <summary>A new connection per import, as a job opens its source: the login counts in the import's time.</summary>
    private static SftpImportSource Open(SftpEndpoint endpoint, IImportDecryption decryption) =>
        new(ConnectAsync(endpoint).GetAwaiter().GetResult(), decryption);

    private static async Task<ImportFile> ListedAsync(SftpEndpoint endpoint, string folder, string name)
    {
        await using var source = new SftpImportSource(await ConnectAsync(endpoint), null);
        await foreach (var file in source.ListAsync(folder, CancellationToken.None))
        {
            if (file.Name == name) return file;
        }
        throw new InvalidOperationException($"{folder}/{name} is not on the server");
    }

    private static async Task DrainAsync(SftpEndpoint endpoint, string folder, string name, IImportDecryption? decryption)
    {
        var file = await ListedAsync(endpoint, folder, name);
        await using var source = new SftpImportSource(await ConnectAsync(endpoint), decryption);
        await using var stream = await source.OpenReadAsync(file, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
