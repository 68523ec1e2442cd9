using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// A multi-row INSERT prepared once on a connection and bound by position through SQLite's own API. A
/// <see cref="SqliteCommand"/> binds every parameter by name (SQLite finds a name by a linear scan, so a statement of
/// many rows costs the square of its parameters) and allocates a binder per parameter per execution: writing 500,000
/// new profiles, that was half a gigabyte of garbage. Here a value goes straight into the statement, so a statement
/// can take many rows. Runs in whatever transaction the connection has open.
/// </summary>
internal sealed class RawRowsInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _many;
    private readonly sqlite3_stmt _one;
    private readonly int _columns;
    private readonly string _tail;
    private sqlite3_stmt _current;
    private int _row;

    /// <summary>Rows per statement of the multi-row form.</summary>
    public int RowsPerStatement { get; }

    private string? _lastText;
    private int _lastTextLength;
    private byte[] _scratch = new byte[256];

    /// <summary>
    /// <paramref name="head"/> is the INSERT up to VALUES, <paramref name="tail"/> what follows the rows (an ON CONFLICT
    /// clause).
    /// </summary>
    public RawRowsInsert(SqliteConnection connection, string head, int columns, int rowsPerStatement, string tail = "")
    {
        _tail = tail;
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        _columns = columns;
        RowsPerStatement = rowsPerStatement;
        _many = Prepare(head, rowsPerStatement);
        try
        {
            _one = Prepare(head, 1);
        }
        catch
        {
            _many.Dispose();
            throw;
        }
        _current = _many;
    }

    /// <summary>
    /// Starts a statement for the next rows: the multi-row one when at least that many remain, else a one-row one
    /// (executed once per row).
    /// </summary>
    public void Begin(int remaining)
    {
        _current = remaining >= RowsPerStatement ? _many : _one;
        _row = 0;
    }

    /// <summary>How many rows the current statement takes.</summary>
    public int Rows => _current == _many ? RowsPerStatement : 1;

    public void Bind(int column, long value) => Check(raw.sqlite3_bind_int64(_current, Index(column), value));

    /// <summary>
    /// Text, converted to UTF-8 in a reused buffer (SQLite copies it); the same string bound again (an account id on
    /// every row) is not converted again.
    /// </summary>
    public void Bind(int column, string value)
    {
        if (!ReferenceEquals(value, _lastText))
        {
            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (max > _scratch.Length) _scratch = new byte[Math.Max(max, _scratch.Length * 2)];
            _lastTextLength = Encoding.UTF8.GetBytes(value, _scratch);
            _lastText = value;
        }
        Check(raw.sqlite3_bind_text(_current, Index(column), _scratch.AsSpan(0, _lastTextLength)));
    }

    public void Bind(int column, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(_current, Index(column), blob));

    /// <summary>Moves to the next row of the current statement; after its last row, runs it.</summary>
    public void EndRow()
    {
        if (++_row < Rows) return;
        var rc = raw.sqlite3_step(_current);
        raw.sqlite3_reset(_current);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        _row = 0;
    }

    public void Dispose()
    {
        _many.Dispose();
        _one.Dispose();
    }

    private int Index(int column) => (_row * _columns) + column + 1;

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    private sqlite3_stmt Prepare(string head, int rows)
    {
        var sql = new StringBuilder(head).Append(" VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ",(");
            for (var c = 0; c < _columns; c++) sql.Append(c == 0 ? "?" : ",?").Append(((row * _columns) + c + 1).ToString(CultureInfo.InvariantCulture));
            sql.Append(')');
        }
        var rc = raw.sqlite3_prepare_v2(_db, sql.Append(' ').Append(_tail).ToString(), out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return stmt!;
    }
}
