using Microsoft.Data.Sqlite;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// The position-bound multi-row insert that checkpoints use for new profiles, feed entries and timers: every row goes
/// in with its values in the right columns, whether it falls in a full statement or in the one-row remainder, and a
/// failing row throws (and the transaction can still be rolled back) instead of being skipped.
/// </summary>
public sealed class RawRowsInsertTests
{
    [Fact]
    public async Task Rows_in_full_statements_and_the_remainder_all_land_with_their_values()
    {
        await using var c = await OpenAsync();
        await using var tx = c.BeginTransaction();
        using (var insert = new RawRowsInsert(c, "INSERT INTO t (id, name, doc)", 3, rowsPerStatement: 4))
        {
            WriteRows(insert, 11, id => $"name {id} é");
        }
        tx.Commit();

        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, doc FROM t ORDER BY id";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, string, byte[])>();
        while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2)));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => ((long)i, $"name {i} é", new byte[] { (byte)i, 7 })), rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(11)]
    public async Task With_exact_sizes_a_remainder_goes_in_one_statement_and_every_row_lands_with_its_values(int count)
    {
        await using var c = await OpenAsync();
        await using var tx = c.BeginTransaction();
        var statements = new List<int>();
        using (var insert = new RawRowsInsert(c, "INSERT INTO t (id, name, doc)", 3, rowsPerStatement: 4, exactSizes: true))
        {
            WriteRows(insert, count, id => $"name {id} é", statements: statements);
        }
        tx.Commit();

        Assert.Equal(Enumerable.Repeat(4, count / 4).Concat(count % 4 == 0 ? [] : [count % 4]), statements);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, doc FROM t ORDER BY id";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, string, byte[])>();
        while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2)));
        Assert.Equal(Enumerable.Range(1, count).Select(i => ((long)i, $"name {i} é", new byte[] { (byte)i, 7 })), rows);
    }

    [Fact]
    public async Task A_row_that_breaks_a_constraint_throws_and_the_transaction_rolls_back()
    {
        await using var c = await OpenAsync();
        await using (var tx = c.BeginTransaction())
        {
            using var insert = new RawRowsInsert(c, "INSERT INTO t (id, name, doc)", 3, rowsPerStatement: 4);
            var e = Assert.Throws<SqliteException>(() => WriteRows(insert, 6, _ => "same", idOf: i => i == 6 ? 1 : i));
            Assert.Equal(19, e.SqliteErrorCode & 0xFF); // SQLITE_CONSTRAINT, whether or not extended codes are on
            tx.Rollback();
        }
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    private static void WriteRows(RawRowsInsert insert, int count, Func<long, string> name, Func<long, long>? idOf = null, List<int>? statements = null)
    {
        var i = 1;
        while (i <= count)
        {
            insert.Begin(count - i + 1);
            statements?.Add(insert.Rows);
            for (var r = insert.Rows; r > 0; r--, i++)
            {
                var id = idOf?.Invoke(i) ?? i;
                insert.Bind(0, id);
                insert.Bind(1, name(i));
                insert.Bind(2, [(byte)i, 7]);
                insert.EndRow();
            }
        }
    }

    private static async Task<SqliteConnection> OpenAsync()
    {
        var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await using var create = c.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, doc BLOB NOT NULL)";
        await create.ExecuteNonQueryAsync();
        return c;
    }
}
