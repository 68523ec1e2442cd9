using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Sluice.EventLog;
using Sluice.Import;

namespace Sluice.Storage.Sqlite;

internal sealed partial class SqliteEventLog
{
    /// <summary>
    /// The log writer's connection with its statements prepared once: BEGIN, COMMIT, an insert of one row and one of
    /// <see cref="RowsPerInsert"/> rows. Positions are read with <c>last_insert_rowid()</c> instead of
    /// <c>RETURNING</c> (which made SQLite keep a statement journal for every insert): this connection is the log's
    /// only writer and holds the write lock for the whole transaction, and AUTOINCREMENT hands out the next rowid
    /// above every one ever used, so a group's rows take consecutive positions. That is checked on every commit, not
    /// assumed: a gap rolls the group back.
    /// </summary>
    private sealed class Appender : IDisposable
    {
        /// <summary>Rows per multi-row insert: fewer statement steps, while binding stays cheap (binding is by name).</summary>
        private const int RowsPerInsert = 8;

        private const int Columns = 6;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _begin, _commit, _rollback, _lastId, _one, _many;

        private Appender(SqliteConnection connection)
        {
            _connection = connection;
            _begin = Prepared("BEGIN IMMEDIATE");
            _commit = Prepared("COMMIT");
            _rollback = Prepared("ROLLBACK");
            _lastId = Prepared("SELECT last_insert_rowid()");
            _one = Insert(1);
            _many = Insert(RowsPerInsert);
        }

        public static Appender Open(SqliteDatabase db) => new(db.Open());

        private SqliteCommand Prepared(string sql)
        {
            var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Prepare();
            return cmd;
        }

        private SqliteCommand Insert(int rows)
        {
            var cmd = _connection.CreateCommand();
            var values = new System.Text.StringBuilder("INSERT INTO events (account_id, partition, stream, event_time, received_at, body) VALUES ");
            for (var r = 0; r < rows; r++)
            {
                if (r > 0) values.Append(',');
                values.Append(System.Globalization.CultureInfo.InvariantCulture, $"($a{r},$p{r},$s{r},$t{r},$r{r},$b{r})");
                cmd.Parameters.Add($"$a{r}", SqliteType.Text);
                cmd.Parameters.Add($"$p{r}", SqliteType.Integer);
                cmd.Parameters.Add($"$s{r}", SqliteType.Text);
                cmd.Parameters.Add($"$t{r}", SqliteType.Integer);
                cmd.Parameters.Add($"$r{r}", SqliteType.Integer);
                cmd.Parameters.Add($"$b{r}", SqliteType.Blob);
            }
            cmd.CommandText = values.ToString();
            cmd.Prepare();
            return cmd;
        }

        /// <summary>
        /// Appends in one transaction, with import checkpoints (a file's progress, its refused rows) in the same one,
        /// so that a checkpoint never says more or less than the events committed with it.
        /// </summary>
        public async Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, IReadOnlyList<ImportCheckpoint> checkpoints, CancellationToken ct)
        {
            if (events.Count == 0 && checkpoints.Count == 0) return [];
            _begin.ExecuteNonQuery();
            try
            {
                var seqs = Insert(events);
                // No SqliteTransaction object on this connection (BEGIN is a prepared statement), so none is passed.
                if (checkpoints.Count > 0) await WriteCheckpointsAsync(_connection, null, checkpoints, ct);
                // Not cancellable: once the group is written, committing it is cheaper than leaving callers unsure.
                _commit.ExecuteNonQuery();
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
            long? firstStatementLast = null;
            var i = 0;
            while (i < events.Count)
            {
                var cmd = events.Count - i >= RowsPerInsert ? _many : _one;
                var rows = cmd == _many ? RowsPerInsert : 1;
                for (var r = 0; r < rows; r++) Bind(cmd, r, events[i + r]);
                cmd.ExecuteNonQuery();
                i += rows;
                firstStatementLast ??= (long)_lastId.ExecuteScalar()! - rows + 1;
            }
            var last = (long)_lastId.ExecuteScalar()!;
            var first = last - events.Count + 1;
            if (first != firstStatementLast)
            {
                throw new InvalidOperationException($"event log positions of one group are not consecutive (first {firstStatementLast}, last {last}, {events.Count} rows)");
            }
            var seqs = new long[events.Count];
            for (var k = 0; k < seqs.Length; k++) seqs[k] = first + k;
            return seqs;
        }

        private void TryRollback()
        {
            try
            {
                _rollback.ExecuteNonQuery();
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                // Already rolled back by SQLite itself (for example after an I/O error); the connection is dropped anyway.
            }
        }

        private static void Bind(SqliteCommand cmd, int row, NewEvent e)
        {
            var p = cmd.Parameters;
            var at = row * Columns;
            p[at].Value = e.AccountId;
            p[at + 1].Value = e.Partition;
            p[at + 2].Value = e.Stream;
            p[at + 3].Value = e.EventTimeMs;
            p[at + 4].Value = e.ReceivedAtMs;
            p[at + 5].Value = Bytes(e.Body);
        }

        /// <summary>The body's bytes: its own array when it is one whole array (bulk rows), a copy of the slice otherwise.</summary>
        private static byte[] Bytes(ReadOnlyMemory<byte> body) =>
            MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : body.ToArray();

        public void Dispose()
        {
            foreach (var cmd in new[] { _begin, _commit, _rollback, _lastId, _one, _many }) cmd.Dispose();
            _connection.Dispose();
        }
    }
}
