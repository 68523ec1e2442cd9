using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sluice.Accounts;
using Sluice.Audiences;
using Sluice.EventLog;
using Sluice.Hosting;
using Sluice.Mapping;
using Sluice.Processing;
using Sluice.Profiles;
using Sluice.Query.Lql;
using Sluice.Storage.Sqlite;

namespace Sluice.Benchmarks;

/// <summary>
/// Processing the log into profiles on SQLite: a bulk load of a synthetic three-stream account, then a steady
/// stream at a fixed rate to measure the lag between an event's commit to the log and its profile update.
/// Baseline in the same run: reading the same log and mapping every event without touching profiles.
/// </summary>
internal static class ProcessingBenchmark
{
    /// <summary>
    /// The same run twice, each on a fresh store: with no audiences at all, then with the 20 of
    /// <see cref="ProcessingAudiences"/>, so that the cost of keeping membership is read against a baseline of the same run.
    /// </summary>
    public static async Task RunWithAndWithoutAudiencesAsync(int events, int people, int steadyRate, int steadySeconds, int batchSize)
    {
        Console.WriteLine("== without audiences (defaults switched off)");
        await RunAsync(events, people, steadyRate, steadySeconds, batchSize, []);
        Console.WriteLine($"== with {ProcessingAudiences.All.Count} audiences");
        await RunAsync(events, people, steadyRate, steadySeconds, batchSize, ProcessingAudiences.All);
    }

    /// <param name="audiences">Null: the product's defaults. Otherwise exactly these (slug, FilterQL) and no defaults.</param>
    public static async Task RunAsync(int events, int people, int steadyRate, int steadySeconds, int batchSize, IReadOnlyList<(string Slug, string Ql)>? audiences = null)
    {
        Console.WriteLine($"processing: {events:N0} events for {people:N0} people over 3 streams (~10% of people need a merge), batches of {batchSize:N0}");
        var dir = Directory.CreateTempSubdirectory("sluice-bench-processing-").FullName;
        try
        {
            await using var services = await BuildAsync(dir, batchSize, createDefaults: audiences is null);
            var account = await services.GetRequiredService<IAccountStore>().CreateAsync("bench", CancellationToken.None);
            foreach (var (slug, ql) in audiences ?? [])
            {
                var now = DateTimeOffset.UtcNow;
                await services.GetRequiredService<IAudienceStore>().CreateAsync(
                    new Audience(AudienceIds.New(), account.Id, slug, slug, null, ql, false, now, now), CancellationToken.None);
            }
            var compiled = CompiledMapping.Compile(ProcessingWorkload.AppMapping);
            await services.GetRequiredService<IMappingStore>().UpsertAsync(account.Id,
                new StoredMapping(compiled.Alias, compiled.Stream, ProcessingWorkload.AppMapping, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), CancellationToken.None);

            var load = await LoadAsync(services, account.Id, ProcessingWorkload.Generate(events, people, 0.10, seed: 42));
            Console.WriteLine($"  load into the log (one transaction per 20k)    {events / load.TotalSeconds,10:N0} events/s");

            var mapped = await MapOnlyAsync(services, account.Id);
            Console.WriteLine($"  baseline: read log + parse + map, no profiles  {events / mapped.TotalSeconds,10:N0} events/s");

            using var merges = new CounterListener("sluice.processing.merges");
            using var phases = new PhaseListener();
            var processor = services.GetRequiredService<ProfileProcessor>();
            await using var state = new PartitionState(0);
            // Give the generated workload's memory back to the OS, so that the RSS below is the processing's own.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var rssBefore = Environment.WorkingSet;
            var gcBefore = GC.GetTotalPauseDuration();
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            long rssPeak = rssBefore;
            var run = Stopwatch.StartNew();
            while (await processor.ProcessBatchAsync(state, CancellationToken.None) > 0)
            {
                rssPeak = Math.Max(rssPeak, Environment.WorkingSet);
            }
            run.Stop();
            var gcPause = GC.GetTotalPauseDuration() - gcBefore;
            Console.WriteLine($"  sluice: log → profiles (SQLite)                {events / run.Elapsed.TotalSeconds,10:N0} events/s  ({run.Elapsed.TotalSeconds:0.0} s)");
            Console.WriteLine($"  of which GC pauses                             {gcPause.TotalSeconds,10:0.0} s" +
                $"  ({GC.CollectionCount(0) - collectionsBefore[0]} collections, {GC.CollectionCount(1) - collectionsBefore[1]} of gen1, {GC.CollectionCount(2) - collectionsBefore[2]} of gen2)");
            Console.WriteLine($"  time per phase (from sluice.processing.phase.duration): {phases}");
            Console.WriteLine($"  merges                                         {merges.Total,10:N0} ({merges.Total / run.Elapsed.TotalSeconds:N0}/s)");
            Console.WriteLine($"  profiles                                       {await ScalarAsync(services, "SELECT COUNT(*) FROM profiles"),10:N0}" +
                $"  (document {await ScalarAsync(services, "SELECT CAST(AVG(LENGTH(doc)) AS INTEGER) FROM profiles"):N0} bytes on average)");
            Console.WriteLine($"  RSS while processing (sampled per batch)       {rssPeak / (1024 * 1024),10:N0} MiB peak ({rssBefore / (1024 * 1024):N0} MiB before)");
            Console.WriteLine($"  audience feed entries (net per checkpoint)     {await ScalarAsync(services, "SELECT COUNT(*) FROM membership_changes"),10:N0}" +
                $"  ({await ScalarAsync(services, "SELECT COALESCE(SUM(size), 0) FROM audience_sizes"):N0} memberships)");

            // One privacy delete over the whole log: every event is scanned, mapped and searched for the person's values.
            var delete = Stopwatch.StartNew();
            var (_, deletedEvents) = await services.GetRequiredService<ProfileDeletion>().DeleteAsync(state, account.Id, 1, CancellationToken.None);
            delete.Stop();
            Console.WriteLine($"  privacy delete of one profile (scans the log)  {events / delete.Elapsed.TotalSeconds,10:N0} events/s  ({delete.Elapsed.TotalSeconds:0.0} s, {deletedEvents} events deleted)");

            await SteadyAsync(services, state, account.Id, steadyRate, steadySeconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Producer appends at a fixed rate; the processor runs continuously; lag = profile commit − log commit.</summary>
    private static async Task SteadyAsync(ServiceProvider services, PartitionState state, string accountId, int rate, int seconds)
    {
        var log = services.GetRequiredService<IEventLog>();
        var processor = services.GetRequiredService<ProfileProcessor>();
        var progress = services.GetRequiredService<ProcessingProgress>();
        var workload = ProcessingWorkload.Generate(rate * seconds, Math.Max(1000, rate * seconds / 3), 0.10, seed: 7);
        var committedAt = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        var processedAt = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        using var stop = new CancellationTokenSource();
        // The consumer sleeps until the producer commits something, like a partition grain waiting for a notification.
        using var appended = new SemaphoreSlim(0);

        var consumer = Task.Run(async () =>
        {
            var seen = progress.PositionOf(0);
            while (!stop.IsCancellationRequested)
            {
                if (await processor.ProcessBatchAsync(state, CancellationToken.None) == 0)
                {
                    try
                    {
                        await appended.WaitAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    continue;
                }
                var now = Stopwatch.GetTimestamp();
                var position = progress.PositionOf(0);
                for (var s = seen + 1; s <= position; s++) processedAt[s] = now;
                seen = position;
            }
        });

        // 100 ticks per second, each appending rate/100 events in one commit (a busy collect endpoint's group commits).
        var perTick = rate / 100;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var sent = 0;
        long last = 0;
        var producer = Stopwatch.StartNew();
        foreach (var chunk in workload.Chunk(perTick))
        {
            await timer.WaitForNextTickAsync();
            var seqs = await log.AppendAsync([.. chunk.Select(e => new NewEvent(accountId, 0, e.Stream, e.TimeMs, e.TimeMs, Encoding.UTF8.GetBytes(e.Json)))], CancellationToken.None);
            var at = Stopwatch.GetTimestamp();
            foreach (var s in seqs) committedAt[s] = at;
            last = seqs[^1];
            appended.Release();
            sent += chunk.Length;
        }
        var achieved = sent / producer.Elapsed.TotalSeconds;
        await progress.WaitForAsync(0, last, CancellationToken.None);
        await stop.CancelAsync();
        await consumer;
        var lags = committedAt.Select(kv => Stopwatch.GetElapsedTime(kv.Value, processedAt[kv.Key]).TotalMilliseconds).Order().ToList();
        Console.WriteLine($"  steady {achieved:N0} events/s for {seconds} s: lag log commit → profile commit p50 {lags[lags.Count / 2]:0} ms, p99 {lags[(int)(lags.Count * 0.99)]:0} ms, max {lags[^1]:0} ms");
    }

    /// <summary>A method of its own, so that nothing of the generated workload stays reachable once it is in the log.</summary>
    private static async Task<TimeSpan> LoadAsync(ServiceProvider services, string accountId, List<(string Stream, long TimeMs, string Json)> workload)
    {
        var log = services.GetRequiredService<IEventLog>();
        var load = Stopwatch.StartNew();
        foreach (var chunk in workload.Chunk(20_000))
        {
            await log.AppendAsync([.. chunk.Select(e => new NewEvent(accountId, 0, e.Stream, e.TimeMs, e.TimeMs, Encoding.UTF8.GetBytes(e.Json)))], CancellationToken.None);
        }
        return load.Elapsed;
    }

    private static async Task<TimeSpan> MapOnlyAsync(ServiceProvider services, string accountId)
    {
        var log = services.GetRequiredService<IEventLog>();
        var mappings = services.GetRequiredService<IStreamMappings>();
        var watch = Stopwatch.StartNew();
        long position = 0, fields = 0;
        while (true)
        {
            var batch = await log.ReadAsync(0, position, 5_000, CancellationToken.None);
            if (batch.Count == 0) break;
            foreach (var e in batch)
            {
                using var json = JsonDocument.Parse(e.Body);
                foreach (var m in await mappings.ForStreamAsync(accountId, e.Stream, CancellationToken.None)) fields += m.Map(json.RootElement).Fields.Count;
            }
            position = batch[^1].Seq;
        }
        GC.KeepAlive(fields);
        return watch.Elapsed;
    }

    private static async Task<long> ScalarAsync(ServiceProvider services, string sql)
    {
        await using var c = await services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static Task<ServiceProvider> BuildAsync(string dir, int batchSize, bool createDefaults = true) =>
        SluiceServices.OpenOfflineAsync(dir, s => s
            .Configure<ProcessingOptions>(o => (o.BatchSize, o.Partitions) = (batchSize, 1))
            .Configure<AudienceOptions>(o => o.CreateDefaults = createDefaults), CancellationToken.None);

    private sealed class CounterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterListener(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Name == instrument) l.EnableMeasurementEvents(i);
            };
            _listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref _total, v));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
