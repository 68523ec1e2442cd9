using System.Diagnostics;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Accounts;
using Sluice.Audiences;
using Sluice.Collect;
using Sluice.EventLog;
using Sluice.Hosting;
using Sluice.Import;
using Sluice.Processing;

namespace Sluice.Benchmarks;

/// <summary>
/// A Braze segment export (from <c>braze-sim generate</c>) imported end to end: read from a source, parsed, checked,
/// appended to the log and processed into profiles with 20 audiences (or fewer: a parameter), while the import runs. In the same run, a bare
/// CsvHelper parse of the same file (the floor) and the ratio of the two. The source is a parameter, so a remote one
/// (SFTP) can be measured the same way.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task RunAsync(int users, int audienceCount = 20, ImportBenchmarkParts parts = ImportBenchmarkParts.Both, Func<string, IImportSource>? openSource = null)
    {
        openSource ??= folder => new LocalFolderSource(folder);
        var dir = Directory.CreateTempSubdirectory("sluice-bench-import-").FullName;
        try
        {
            var files = Path.Combine(dir, "files");
            Directory.CreateDirectory(files);
            var path = Path.Combine(files, "segment.csv");
            if (await Cli.SluiceCli.Build().Parse(["braze-sim", "generate", "--users", users.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", path]).InvokeAsync() != 0)
            {
                throw new InvalidOperationException("braze-sim generate failed");
            }
            var size = new FileInfo(path).Length;
            var audiences = ProcessingAudiences.All.Take(audienceCount).ToList();
            Console.WriteLine($"import: a {users:N0}-row Braze segment export ({size / (1024.0 * 1024):0.0} MiB) into profiles with {audiences.Count} audiences");

            var floorCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var floor = Floor(path, out var parsedRows);
            floorCpu = Process.GetCurrentProcess().TotalProcessorTime - floorCpu;
            Console.WriteLine($"  floor: bare CsvHelper parse of the file         {parsedRows / floor.TotalSeconds,10:N0} rows/s  ({floor.TotalSeconds:0.00} s, CPU {floorCpu.TotalSeconds:0.0} s)");

            await ImportOnlyAsync(Path.Combine(dir, "log-only"), path, openSource(files), audiences, processToo: parts is ImportBenchmarkParts.Alone or ImportBenchmarkParts.Both);
            // A second run with the code compiled: the steadier figure of the two for comparing changes.
            if (parts == ImportBenchmarkParts.ImportOnly)
            {
                await ImportOnlyAsync(Path.Combine(dir, "log-only-2"), path, openSource(files), audiences, processToo: false, stages: true);
            }
            if (parts is ImportBenchmarkParts.Alone or ImportBenchmarkParts.ImportOnly) return;

            var info = new FileInfo(path);
            var run = await EndToEndAsync(Path.Combine(dir, "data"), () => openSource(files), new ImportFile(info.Name, info.Name, info.Length, info.LastWriteTimeUtc), audiences);
            Console.WriteLine($"  sluice: file → log (rows committed)             {run.Stored / run.Imported.TotalSeconds,10:N0} rows/s  ({run.Imported.TotalSeconds:0.00} s)");
            Console.WriteLine($"  sluice: end to end, file → profiles + audiences {run.Stored / run.Wall.TotalSeconds,10:N0} rows/s  ({run.Wall.TotalSeconds:0.00} s, CPU {run.Cpu.TotalSeconds:0.0} s)");
            Console.WriteLine($"  rows stored / refused                           {run.Stored,10:N0} / {run.Rejected:N0}");
            Console.WriteLine($"  ratio end to end / floor                        {run.Wall / floor,10:0.0}x wall, {run.Cpu / floorCpu:0.0}x CPU");
            Console.WriteLine($"  peak RSS (sampled every 20 ms)                  {run.PeakRss / (1024 * 1024),10:N0} MiB ({run.RssBefore / (1024 * 1024):N0} MiB before)");
            Console.WriteLine($"  GC pauses {run.GcPause.TotalSeconds:0.0} s; processing phases: {run.Phases}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// One file imported end to end into a fresh data folder with the audiences (all 20 unless given): read from the
    /// source, appended to the log and processed into profiles while the import runs, as the server does. Wall and CPU
    /// time, peak RSS, GC pauses and processing's phases.
    /// </summary>
    internal static async Task<EndToEnd> EndToEndAsync(
        string dataDir, Func<IImportSource> openSource, ImportFile file, IReadOnlyList<(string Slug, string Ql)>? audiences = null)
    {
        var (services, account) = await OpenAsync(dataDir, audiences ?? ProcessingAudiences.All);
        await using var owned = services;
        var writer = services.GetRequiredService<EventLogWriter>();
        await writer.StartAsync(CancellationToken.None);

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var rssBefore = Environment.WorkingSet;
        long rssPeak = rssBefore;
        using var sampling = new Timer(_ => rssPeak = Math.Max(rssPeak, Environment.WorkingSet), null, 0, 20);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.GetTotalPauseDuration();
        using var phases = new PhaseListener();
        var clock = Stopwatch.StartNew();

        var config = CsvImportConfig.Parse(new() { ["directory"] = "." }, out _)!;
        var progress = new ImportProgress();
        await using var source = openSource();
        var importing = services.GetRequiredService<CsvFileImporter>().ImportAsync(new ImportTarget(account.Id, "bench", config), source,
            file, null, progress, _ => Task.CompletedTask, CancellationToken.None);

        // Profiles are built while the file is read, as the server's processing does.
        var processor = services.GetRequiredService<ProfileProcessor>();
        await using var state = new PartitionState(0);
        TimeSpan imported = default;
        while (true)
        {
            var n = await processor.ProcessBatchAsync(state, CancellationToken.None);
            if (importing.IsCompleted && imported == default) imported = clock.Elapsed;
            if (n == 0 && importing.IsCompleted) break;
            if (n == 0) await Task.WhenAny(importing, Task.Delay(5));
        }
        var done = await importing;
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var gcPause = GC.GetTotalPauseDuration() - gcBefore;
        await writer.StopAsync(CancellationToken.None);
        if (done.Status != ImportFileState.Done) throw new InvalidOperationException($"the import ended {done.Status}");
        return new EndToEnd(clock.Elapsed, imported, cpu, done.Stored, done.Rejected, rssBefore, Math.Max(rssPeak, Environment.WorkingSet), gcPause, phases.ToString());
    }

    internal sealed record EndToEnd(
        TimeSpan Wall, TimeSpan Imported, TimeSpan Cpu, long Stored, long Rejected, long RssBefore, long PeakRss, TimeSpan GcPause, string Phases);

    /// <summary>
    /// The import alone, file to committed log rows with no processing beside it: its own CPU time per row and peak RSS,
    /// which must not grow with the file.
    /// </summary>
    private static async Task ImportOnlyAsync(string dataDir, string path, IImportSource source, IReadOnlyList<(string Slug, string Ql)> audiences, bool processToo, bool stages = false)
    {
        var (services, account) = await OpenAsync(dataDir, audiences);
        await using var owned = services;
        await using var ownedSource = source;
        var writer = services.GetRequiredService<EventLogWriter>();
        await writer.StartAsync(CancellationToken.None);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var rssBefore = Environment.WorkingSet;
        long rssPeak = rssBefore;
        using (new Timer(_ => rssPeak = Math.Max(rssPeak, Environment.WorkingSet), null, 0, 20))
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var info = new FileInfo(path);
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var done = await services.GetRequiredService<CsvFileImporter>().ImportAsync(
                new ImportTarget(account.Id, "bench", CsvImportConfig.Parse(new() { ["directory"] = "." }, out _)!), source,
                new ImportFile(info.Name, info.Name, info.Length, info.LastWriteTimeUtc), null, new ImportProgress(), _ => Task.CompletedTask, CancellationToken.None);
            clock.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine($"  sluice: file → log only, no processing          {done.Stored / clock.Elapsed.TotalSeconds,10:N0} rows/s  ({clock.Elapsed.TotalSeconds:0.00} s, CPU {cpu.TotalSeconds:0.0} s = {cpu.TotalMicroseconds / done.Stored:0.0} µs/row)");
            Console.WriteLine($"    peak RSS of the import alone                  {rssPeak / (1024 * 1024),10:N0} MiB ({rssBefore / (1024 * 1024):N0} MiB before), allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024 * 1024):N0} MiB");
            if (stages)
            {
                await ImportStages.RunAsync(source, new ImportFile(info.Name, info.Name, info.Length, info.LastWriteTimeUtc), services.GetRequiredService<EventValidator>(), writer, account.Id);
            }
        }
        await writer.StopAsync(CancellationToken.None);
        if (processToo) await ProcessOnlyAsync(services);
    }

    /// <summary>
    /// Processing alone, of the log the import alone wrote (nothing else running): its CPU time, allocations, collections
    /// and peak RSS for a burst of new people, steadier figures than the end to end run where both share the cores.
    /// </summary>
    private static async Task ProcessOnlyAsync(ServiceProvider services)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var rssBefore = Environment.WorkingSet;
        long rssPeak = rssBefore;
        using (new Timer(_ => rssPeak = Math.Max(rssPeak, Environment.WorkingSet), null, 0, 20))
        {
            using var phases = new PhaseListener();
            // Sampling allocations costs time: only when asked for.
            using var sampler = Environment.GetEnvironmentVariable("SLUICE_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
            sampler?.Start();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var gcBefore = GC.GetTotalPauseDuration();
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var clock = Stopwatch.StartNew();
            var processor = services.GetRequiredService<ProfileProcessor>();
            await using var state = new PartitionState(0);
            long events = 0;
            int n;
            while ((n = await processor.ProcessBatchAsync(state, CancellationToken.None)) > 0) events += n;
            clock.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine($"  sluice: log → profiles + audiences only        {events / clock.Elapsed.TotalSeconds,10:N0} events/s ({clock.Elapsed.TotalSeconds:0.00} s, CPU {cpu.TotalSeconds:0.0} s = {cpu.TotalMicroseconds / events:0.0} µs/event)");
            Console.WriteLine($"    peak RSS {rssPeak / (1024 * 1024):N0} MiB ({rssBefore / (1024 * 1024):N0} MiB before), allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024 * 1024):N0} MiB, " +
                $"GC pauses {(GC.GetTotalPauseDuration() - gcBefore).TotalSeconds:0.0} s ({GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]} of gen0/1/2)");
            Console.WriteLine($"    phases: {phases}");
            var gc = GC.GetGCMemoryInfo(GCKind.Any);
            Console.WriteLine($"    at the end: profile cache {state.Profiles.Bytes / (1024 * 1024):N0} MiB, {state.Index.Count:N0} identity values; " +
                $"GC heap {gc.HeapSizeBytes / (1024 * 1024):N0} MiB, committed {gc.TotalCommittedBytes / (1024 * 1024):N0} MiB, RSS {Environment.WorkingSet / (1024 * 1024):N0} MiB");
            // What the partition's state holds, measured by letting go of each part in turn.
            var live = GC.GetTotalMemory(forceFullCollection: true);
            state.Profiles.Clear();
            var withoutCache = GC.GetTotalMemory(forceFullCollection: true);
            state.Timers.Clear();
            var withoutTimers = GC.GetTotalMemory(forceFullCollection: true);
            state.Index.Clear();
            var withoutIndex = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"    live after a full collection {live / (1024 * 1024):N0} MiB: profile cache {(live - withoutCache) / (1024 * 1024):N0} MiB, " +
                $"audience timers {(withoutCache - withoutTimers) / (1024 * 1024):N0} MiB, identity index {(withoutTimers - withoutIndex) / (1024 * 1024):N0} MiB, rest {withoutIndex / (1024 * 1024):N0} MiB");
            if (sampler is not null) Console.WriteLine($"    allocations by type (sampled):{Environment.NewLine}{sampler.Top(30)}");
        }
    }

    private static async Task<(ServiceProvider Services, Account Account)> OpenAsync(string dataDir, IReadOnlyList<(string Slug, string Ql)> audiences)
    {
        var services = await SluiceServices.OpenOfflineAsync(dataDir, s =>
        {
            s.Configure<ProcessingOptions>(o => o.Partitions = 1);
            s.Configure<AudienceOptions>(o => o.CreateDefaults = false);
            s.AddSingleton<EventLogWriter>();
            s.TryAddSingleton<Partitioner>();
            s.AddOptions<CollectOptions>();
            s.AddSingleton<EventValidator>();
            s.AddSingleton<CsvFileImporter>();
        }, CancellationToken.None);
        var account = await services.GetRequiredService<IAccountStore>().CreateAsync("bench", CancellationToken.None);
        foreach (var (slug, ql) in audiences)
        {
            var now = DateTimeOffset.UtcNow;
            await services.GetRequiredService<IAudienceStore>().CreateAsync(
                new Audience(AudienceIds.New(), account.Id, slug, slug, null, ql, false, now, now), CancellationToken.None);
        }
        return (services, account);
    }

    /// <summary>The floor: CsvHelper reading every field of every row as bytes, and nothing else.</summary>
    internal static TimeSpan Floor(string path, out long rows)
    {
        var clock = Stopwatch.StartNew();
        rows = 0;
        using var csv = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default, leaveOpen: false);
        long bytes = 0;
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++) bytes += csv.GetSpan(i).Length;
            rows++;
        }
        GC.KeepAlive(bytes);
        return clock.Elapsed;
    }
}

/// <summary>
/// What the import benchmark runs: the import alone then processing of its log alone, the end-to-end run, or all.
/// The end-to-end run alone compiles processing's code cold, as the server's first import does; after the
/// processing-alone part it is compiled already, which takes a few seconds of CPU off the end-to-end figure.
/// </summary>
internal enum ImportBenchmarkParts
{
    Alone = 0,
    Both = 1,
    EndToEnd = 2,

    /// <summary>The import alone (file to committed log rows), twice, and nothing else: the quickest measure of the import's own CPU.</summary>
    ImportOnly = 3,
}
