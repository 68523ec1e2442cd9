using System.Diagnostics;
using Sluice.Collect;
using Sluice.Collect.Bulk;
using Sluice.EventLog;
using Sluice.Import;

namespace Sluice.Benchmarks;

/// <summary>
/// Where the import's CPU goes, by running its first stages alone over the same file: the bytes read and hashed, then
/// parsed into rows (each row's JSON event built), then each row checked as the import checks it. What the whole import
/// costs beyond the last stage is the hand-off of chunks to the log and the log's append.
/// </summary>
internal static class ImportStages
{
    public static async Task RunAsync(IImportSource source, ImportFile file, EventValidator validator, EventLogWriter writer, string accountId)
    {
        var config = CsvImportConfig.Parse(new() { ["directory"] = "." }, out _)!;
        var csv = new CsvReadOptions { Delimiter = config.Delimiter, Headers = config.Headers, Encoding = config.TextEncoding };
        var checks = await validator.ForStreamAsync(accountId, config.Stream, config.TimestampField, 0, CancellationToken.None);

        await MeasureAsync("read and hash only", async () =>
        {
            await using var reader = await ImportFileReader.OpenAsync(source, file, 100, CancellationToken.None);
            await reader.Raw.FinishAsync(CancellationToken.None);
            return 1;
        });
        await MeasureAsync("+ parse into JSON rows", async () =>
        {
            using var sampler = Environment.GetEnvironmentVariable("SLUICE_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
            sampler?.Start();
            await using var _ = new Finally(() => { if (sampler is not null) Console.WriteLine(sampler.Top(15)); });
            await using var reader = await ImportFileReader.OpenAsync(source, file, 100, CancellationToken.None);
            long rows = 0;
            await foreach (var (_, text) in reader.PartsAsync(CancellationToken.None))
            {
                await foreach (var row in CsvEventReader.ReadAsync(text, csv, CancellationToken.None)) rows++;
            }
            await reader.Raw.FinishAsync(CancellationToken.None);
            return rows;
        });
        await MeasureAsync("+ the shared check", async () =>
        {
            await using var reader = await ImportFileReader.OpenAsync(source, file, 100, CancellationToken.None);
            long rows = 0;
            await foreach (var (_, text) in reader.PartsAsync(CancellationToken.None))
            {
                await foreach (var row in CsvEventReader.ReadAsync(text, csv, CancellationToken.None))
                {
                    if (row.Error is null && checks.Check(row.Json, out _) is null) rows++;
                }
            }
            await reader.Raw.FinishAsync(CancellationToken.None);
            return rows;
        });
        await AppendAloneAsync(source, file, csv, writer, accountId);
    }

    /// <summary>
    /// The log's part alone: the file's rows, parsed beforehand into chunks as the import hands them over, appended by
    /// the log writer one chunk after another (the import keeps one commit in flight while it parses the next chunk).
    /// </summary>
    private static async Task AppendAloneAsync(IImportSource source, ImportFile file, CsvReadOptions csv, EventLogWriter writer, string accountId)
    {
        var chunks = new List<List<NewEvent>>();
        var chunk = new List<NewEvent>(CsvFileImporter.ChunkRows);
        // The bodies as the import hands them over: slices of a chunk's blocks.
        using var bodies = new ChunkBodies();
        await using (var reader = await ImportFileReader.OpenAsync(source, file, 100, CancellationToken.None))
        {
            await foreach (var (_, text) in reader.PartsAsync(CancellationToken.None))
            {
                await foreach (var row in CsvEventReader.ReadAsync(text, csv, CancellationToken.None))
                {
                    if (row.Error is not null) continue;
                    chunk.Add(new NewEvent(accountId, 0, CsvImportConfig.DefaultStream, 0, 0, bodies.Add(row.Json.Span)));
                    if (chunk.Count == CsvFileImporter.ChunkRows)
                    {
                        chunks.Add(chunk);
                        chunk = new List<NewEvent>(CsvFileImporter.ChunkRows);
                    }
                }
            }
        }
        if (chunk.Count > 0) chunks.Add(chunk);
        await MeasureAsync("log append alone", async () =>
        {
            Task? committing = null;
            long rows = 0;
            foreach (var c in chunks)
            {
                if (committing is not null) await committing;
                committing = writer.AppendAsync(c, CancellationToken.None);
                rows += c.Count;
            }
            if (committing is not null) await committing;
            return rows;
        });
    }

    private static async Task MeasureAsync(string what, Func<Task<long>> run)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        var rows = await run();
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var perRow = rows > 1 ? $" = {cpu.TotalMicroseconds / rows:0.00} µs/row" : "";
        Console.WriteLine($"    stage: {what,-28} {clock.Elapsed.TotalSeconds,6:0.00} s, CPU {cpu.TotalSeconds:0.00} s{perRow}, allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024 * 1024):N0} MiB");
    }

    private sealed class Finally(Action done) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            done();
            return ValueTask.CompletedTask;
        }
    }
}
