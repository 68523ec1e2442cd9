using Microsoft.Data.Sqlite;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// A TRUNCATE checkpoint of both files: every page in the WAL is copied into the database file (where secure_delete
/// already zeroed what was deleted) and the WAL is cut to zero bytes, so none of its older page images survive.
/// Such a checkpoint needs a moment with no writer and no reader on an older snapshot. Sluice's transactions are
/// short, so SQLite's busy handler waits for one (a processor checkpoint, a log append); a reader can still slip in
/// between, so a busy result is retried until <see cref="Budget"/> runs out. Past it the delete still succeeds (its
/// rows are gone) and the checkpoint goes on being retried in the background until it completes.
/// </summary>
internal sealed class SqliteErasureFlush(
    SqliteDatabase main, [FromKeyedServices(SqliteDatabase.LogKey)] SqliteDatabase log, ILogger<SqliteErasureFlush> logger) : IErasureFlush
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private Task _retrying = Task.CompletedTask;

    public async Task FlushAsync(CancellationToken ct)
    {
        await TruncateWalAsync(log, ct);
        await TruncateWalAsync(main, ct);
    }

    private void RetryInBackground(SqliteDatabase db)
    {
        lock (_gate)
        {
            if (!_retrying.IsCompleted) return;
            _retrying = Task.Run(async () =>
            {
                // Each attempt has the full budget again; the loop ends with the first checkpoint that completes.
                while (true)
                {
                    try
                    {
                        await TruncateWalAsync(db, CancellationToken.None, inBackground: true);
                        return;
                    }
                    catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or TimeoutException)
                    {
                        logger.LogWarning(e, "Truncating the write-ahead log of {File} failed; retrying", System.IO.Path.GetFileName(db.Path));
                    }
                }
            });
        }
    }

    private async Task TruncateWalAsync(SqliteDatabase db, CancellationToken ct, bool inBackground = false)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var c = await db.OpenAsync(ct);
        await using (var timeout = c.CreateCommand())
        {
            // The busy handler waits this long for writers and readers before the checkpoint reports busy.
            timeout.CommandText = "PRAGMA busy_timeout=2000";
            await timeout.ExecuteNonQueryAsync(ct);
        }
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        for (var attempt = 1; ; attempt++)
        {
            bool busy;
            try
            {
                await using var r = await cmd.ExecuteReaderAsync(ct);
                busy = !await r.ReadAsync(ct) || r.GetInt64(0) != 0;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
            {
                // SQLITE_BUSY or SQLITE_LOCKED: the same as a busy result.
                busy = true;
            }
            if (!busy) return;
            if (TimeProvider.System.GetElapsedTime(started) >= Budget)
            {
                if (inBackground) throw new TimeoutException($"the write-ahead log of {System.IO.Path.GetFileName(db.Path)} is still busy");
                logger.LogWarning("The write-ahead log of {File} stayed busy for {Seconds} s after a privacy delete; the deleted rows are gone, and truncating it is retried in the background",
                    System.IO.Path.GetFileName(db.Path), Budget.TotalSeconds);
                RetryInBackground(db);
                return;
            }
            logger.LogDebug("WAL checkpoint of {File} was busy (attempt {Attempt}); retrying", System.IO.Path.GetFileName(db.Path), attempt);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * attempt, 500)), ct);
        }
    }
}
