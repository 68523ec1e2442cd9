using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.EventLog;
using Sluice.Processing.DeadLetters;
using Sluice.Storage.Sqlite;
using Sluice.Tests.Infrastructure;

namespace Sluice.Tests;

/// <summary>
/// Positions handed out by the log's writer (not by SQLite's AUTOINCREMENT): never reused after a restart, distinct
/// when a second writer (another process) appends to the same file, and carried over from a file written before.
/// </summary>
public sealed class EventLogPositionTests
{
    [Fact]
    public async Task A_deleted_newest_position_is_not_handed_out_again_by_a_restarted_writer()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        var first = await log.AppendAsync([.. Events(pipeline.Account.Id, 3)], CancellationToken.None);
        Assert.Equal(1, await log.DeleteAsync([first[^1]], CancellationToken.None));

        // A new writer on the same file knows only what the file says, as after a restart.
        await using var restarted = new SqliteEventLog(pipeline.Services.GetRequiredKeyedService<SqliteDatabase>(SqliteDatabase.LogKey));
        var next = await restarted.AppendAsync([.. Events(pipeline.Account.Id, 2)], CancellationToken.None);

        Assert.Equal([first[^1] + 1, first[^1] + 2], next);
    }

    [Fact]
    public async Task A_replayed_event_goes_above_a_deleted_newest_position()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        var letters = pipeline.Services.GetRequiredService<IDeadLetterStore>();
        var seqs = await log.AppendAsync([.. Events(pipeline.Account.Id, 3)], CancellationToken.None);
        Assert.True(await letters.SetAsideAsync(new DeadLetter(seqs[0], pipeline.Account.Id, 0, "s", "map", "test", 1), CancellationToken.None));
        Assert.Equal(1, await log.DeleteAsync([seqs[^1]], CancellationToken.None));

        var (replayed, _) = await letters.ReplayAsync(pipeline.Account.Id, null, CancellationToken.None);

        Assert.Equal(1, replayed);
        var read = await log.ReadAsync(0, 0, 10, CancellationToken.None);
        Assert.Equal([seqs[1], seqs[^1] + 1], read.Select(e => e.Seq));
        Assert.Equal([seqs[^1] + 2], await log.AppendAsync([.. Events(pipeline.Account.Id, 1)], CancellationToken.None));
    }

    [Fact]
    public async Task Two_writers_on_one_file_take_distinct_consecutive_positions()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        await using var other = new SqliteEventLog(pipeline.Services.GetRequiredKeyedService<SqliteDatabase>(SqliteDatabase.LogKey));

        var a = await log.AppendAsync([.. Events(pipeline.Account.Id, 4)], CancellationToken.None);
        var b = await other.AppendAsync([.. Events(pipeline.Account.Id, 5)], CancellationToken.None);
        var c = await log.AppendAsync([.. Events(pipeline.Account.Id, 3)], CancellationToken.None);

        var all = a.Concat(b).Concat(c).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => a[0] + i), all);
        Assert.Equal(12, (await log.ReadAsync(0, 0, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_log_file_from_before_writer_positions_keeps_its_events_accounts_and_used_positions()
    {
        var dir = Directory.CreateTempSubdirectory("sluice-log-0004-").FullName;
        try
        {
            var db = SqliteDatabase.ForLog(dir);
            await using (var c = await db.OpenAsync(CancellationToken.None))
            {
                // The file as versions 1 to 4 of the log's scripts left it, with an AUTOINCREMENT counter above the
                // newest event left (the newest was deleted).
                for (var v = 1; v <= 4; v++) await c.ExecuteAsync(Script(v));
                await c.ExecuteAsync("PRAGMA user_version = 4");
                for (var i = 0; i < 6; i++)
                {
                    await c.ExecuteAsync(
                        "INSERT INTO events (account_id, partition, stream, event_time, received_at, body) VALUES (@a, @p, 's', @i, @i, @b)",
                        new { a = i % 2 == 0 ? "acct-even" : "acct-odd", p = i % 2, i, b = Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""") });
                }
                await c.ExecuteAsync("DELETE FROM events WHERE seq = 6");
            }

            await SqliteMigrator.MigrateAsync(db, CancellationToken.None);
            await using var log = new SqliteEventLog(db);

            Assert.Equal(3, await log.CountAsync("acct-even", CancellationToken.None));
            Assert.Equal(2, await log.CountAsync("acct-odd", CancellationToken.None));
            var odd = new List<LoggedEvent>();
            await foreach (var e in log.ScanAccountAsync("acct-odd", CancellationToken.None)) odd.Add(e);
            Assert.Equal([2L, 4L], odd.Select(e => e.Seq));
            Assert.Equal(["""{"n":1}""", """{"n":3}"""], odd.Select(e => Encoding.UTF8.GetString(e.Body)));
            Assert.Equal([1L, 3L, 5L], (await log.ReadAsync(0, 0, 10, CancellationToken.None)).Select(e => e.Seq));

            var next = await log.AppendAsync([.. Events("acct-odd", 1, partition: 1)], CancellationToken.None);
            Assert.Equal(7, next.Single());
            Assert.Equal(3, await log.CountAsync("acct-odd", CancellationToken.None));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IEnumerable<NewEvent> Events(string accountId, int count, int partition = 0) =>
        Enumerable.Range(0, count).Select(i => new NewEvent(accountId, partition, "s", i, i, Encoding.UTF8.GetBytes($$"""{"i":{{i}}}""")));

    private static string Script(int version)
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith($"sqlite/log/{version:0000}_", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }
}
