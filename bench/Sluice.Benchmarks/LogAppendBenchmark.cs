using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Sluice.EventLog;
using Sluice.Hosting;

namespace Sluice.Benchmarks;

/// <summary>
/// The event log's durable append alone: groups of a few webhook events (slices of one request buffer, as collect
/// hands them over) committed one after another through the log, with nothing else running. Prints, per commit, the
/// process's CPU (the fsync's kernel time included), the wall time and the WAL frames written, over several rounds.
/// </summary>
internal static class LogAppendBenchmark
{
    private const string Webhook =
        """{"city":"AnyTown","country":"United States","first_name":"John","gender":"male","language":"English","last_name":"Smith","date_of_birth":"19820101","phone_number":"5551231234","time_zone":"GMT+7","twitter_handle":"johnsmith","email":"john.smith@email.com","braze_id":"xxxxxx"}""";

    public static async Task RunAsync(int groupsPerRound, int rowsPerGroup, int rounds)
    {
        var dir = Directory.CreateTempSubdirectory("sluice-log-append-").FullName;
        try
        {
            await using var services = await SluiceServices.OpenOfflineAsync(dir, null, CancellationToken.None);
            var log = services.GetRequiredService<IEventLog>();
            var account = Guid.NewGuid().ToString("N");
            // Each body a slice of a larger buffer, as a request's bytes are.
            var buffer = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(Webhook, rowsPerGroup)) + "]");
            var group = Enumerable.Range(0, rowsPerGroup)
                .Select(i => new NewEvent(account, 3, "braze_users", i, i, buffer.AsMemory(1 + (i * (Webhook.Length + 1)), Webhook.Length)))
                .ToList();
            for (var i = 0; i < 2_000; i++) await log.AppendAsync(group, CancellationToken.None);
            Console.WriteLine($"log append: {rowsPerGroup} webhook events per commit, {groupsPerRound:N0} commits per round");
            var walPath = Path.Combine(dir, "events.db");
            for (var round = 0; round < rounds; round++)
            {
                Checkpoint(walPath, "TRUNCATE");
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var wall = Stopwatch.GetTimestamp();
                for (var i = 0; i < groupsPerRound; i++) await log.AppendAsync(group, CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(wall);
                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var frames = Checkpoint(walPath, "PASSIVE");
                Console.WriteLine(
                    $"  round {round + 1}: CPU {used.TotalMicroseconds / groupsPerRound,7:N1} µs/commit ({used.TotalMicroseconds / groupsPerRound / rowsPerGroup,5:N1} µs/event), " +
                    $"wall {elapsed.TotalMicroseconds / groupsPerRound,7:N1} µs/commit, WAL {(double)frames / groupsPerRound,5:N2} frames/commit");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs a checkpoint and returns the WAL's frames before it (SQLite's second result column).</summary>
    private static long Checkpoint(string path, string mode)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var r = cmd.ExecuteReader();
        r.Read();
        return r.GetInt64(1);
    }
}
