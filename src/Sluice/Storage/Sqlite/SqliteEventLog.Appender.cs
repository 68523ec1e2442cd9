using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.EventLog;
using Sluice.Import;
using SQLitePCL;

namespace Sluice.Storage.Sqlite;

internal sealed partial class SqliteEventLog
{
    /// <summary>The next free position: above every position present and above the mark deletes leave (see migration Log 0005).</summary>
    private const string NextPositionSql =
        "SELECT max(coalesce((SELECT max(seq) FROM events), 0), coalesce((SELECT seq FROM log_high_water WHERE id = 1), 0)) + 1";

    /// <summary>
    /// The log writer's connection with its statements prepared once and bound by position through SQLite's own API
    /// (<see cref="RawRowsInsert"/>): BEGIN, the next position, one insert of exactly the group's rows (up to
    /// <see cref="RowsPerInsert"/> per statement), COMMIT. The writer hands out the positions itself: it holds the
    /// write lock from BEGIN IMMEDIATE to COMMIT and reads the next free position inside that transaction, so a group's
    /// positions are consecutive and above every position ever used, whoever else (a replay, another process) wrote
    /// before it; a position that is somehow taken fails the group on the primary key instead of being reused.
    /// </summary>
    private sealed class Appender : IDisposable
    {
        /// <summary>Rows per statement: a webhook burst's groups (6–15 events) take one statement step each.</summary>
        private const int RowsPerInsert = 32;

        private readonly SqliteConnection _connection;
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _begin, _commit, _rollback, _next;
        private readonly RawRowsInsert _insert;

        /// <summary>Accounts' numbers in this file (never changed once given, so a cached one is never stale).</summary>
        private readonly Dictionary<string, long> _accounts = new(StringComparer.Ordinal);

        private Appender(SqliteConnection connection)
        {
            _connection = connection;
            _db = connection.Handle!;
            // Another process (the command line) may hold the write lock for a moment: wait for it as the connection's
            // commands would, instead of failing the group at once.
            raw.sqlite3_busy_timeout(_db, 30_000);
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _next = Prepare(NextPositionSql);
            _insert = new RawRowsInsert(connection,
                "INSERT INTO events (seq, account_id, account_no, partition, stream, event_time, received_at, body)", 8, RowsPerInsert, exactSizes: true);
        }

        public static Appender Open(SqliteDatabase db)
        {
            var connection = db.Open();
            try
            {
                return new Appender(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Appends in one transaction, with import checkpoints (a file's progress, its refused rows) in the same one,
        /// so that a checkpoint never says more or less than the events committed with it.
        /// </summary>
        public async Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, IReadOnlyList<ImportCheckpoint> checkpoints, CancellationToken ct)
        {
            if (events.Count == 0 && checkpoints.Count == 0) return [];
            Step(_begin);
            try
            {
                var seqs = Insert(events);
                // No SqliteTransaction object on this connection (BEGIN is a prepared statement), so none is passed.
                if (checkpoints.Count > 0) await WriteCheckpointsAsync(_connection, null, checkpoints, ct);
                // Not cancellable: once the group is written, committing it is cheaper than leaving callers unsure.
                Step(_commit);
                return seqs;
            }
            catch
            {
                TryRollback();
                throw;
            }
        }

        private long[] Insert(IReadOnlyList<NewEvent> events)
        {
            if (events.Count == 0) return [];
            var first = NextPosition();
            var seqs = new long[events.Count];
            var i = 0;
            while (i < events.Count)
            {
                _insert.Begin(events.Count - i);
                for (var r = _insert.Rows; r > 0; r--, i++)
                {
                    var e = events[i];
                    seqs[i] = first + i;
                    _insert.Bind(0, seqs[i]);
                    _insert.Bind(1, e.AccountId);
                    _insert.Bind(2, AccountNumber(e.AccountId));
                    _insert.Bind(3, e.Partition);
                    _insert.Bind(4, e.Stream);
                    _insert.Bind(5, e.EventTimeMs);
                    _insert.Bind(6, e.ReceivedAtMs);
                    _insert.Bind(7, e.Body.Span);
                    _insert.EndRow();
                }
            }
            return seqs;
        }

        private long NextPosition()
        {
            try
            {
                var rc = raw.sqlite3_step(_next);
                if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
                return raw.sqlite3_column_int64(_next, 0);
            }
            finally
            {
                raw.sqlite3_reset(_next);
            }
        }

        /// <summary>
        /// The account's number, given on its first append in this file. A number given in a group that then rolls back
        /// is forgotten with the whole appender (a failed append drops it).
        /// </summary>
        private long AccountNumber(string accountId)
        {
            if (_accounts.TryGetValue(accountId, out var known)) return known;
            _connection.Execute("INSERT INTO log_accounts (account_id) VALUES (@accountId) ON CONFLICT (account_id) DO NOTHING", new { accountId });
            var number = _connection.ExecuteScalar<long>("SELECT account_no FROM log_accounts WHERE account_id = @accountId", new { accountId });
            _accounts[accountId] = number;
            return number;
        }

        private sqlite3_stmt Prepare(string sql)
        {
            var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
            if (rc != raw.SQLITE_OK)
            {
                stmt?.Dispose();
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return stmt!;
        }

        private void Step(sqlite3_stmt stmt)
        {
            var rc = raw.sqlite3_step(stmt);
            raw.sqlite3_reset(stmt);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        }

        private void TryRollback()
        {
            // Nothing to roll back when SQLite already did (for example after an I/O error); the connection is dropped anyway.
            if (raw.sqlite3_get_autocommit(_db) != 0) return;
            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
        }

        public void Dispose()
        {
            _insert.Dispose();
            foreach (var stmt in new[] { _begin, _commit, _rollback, _next }) stmt.Dispose();
            _connection.Dispose();
        }
    }
}
