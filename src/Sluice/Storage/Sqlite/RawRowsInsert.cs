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
    private readonly string _head;
    private readonly string _tail;
    private readonly int _columns;
    private readonly bool _exactSizes;

    /// <summary>
    /// Statements by the number of rows they take (index 0 unused). Without exact sizes only the multi-row one and the
    /// one-row one exist; with them, each size is prepared the first time a remainder of that size comes.
    /// </summary>
    private readonly sqlite3_stmt?[] _bySize;

    private sqlite3_stmt _current;
    private int _rows;
    private int _row;

    /// <summary>Per column, the last string bound there and its UTF-8 (an account id on every row is converted once).</summary>
    private readonly string?[] _lastText;
    private readonly byte[][] _textBytes;
    private readonly int[] _textLength;

    /// <summary>Rows per statement of the multi-row form.</summary>
    public int RowsPerStatement { get; }

    /// <summary>
    /// <paramref name="head"/> is the INSERT up to VALUES, <paramref name="tail"/> what follows the rows (an ON CONFLICT
    /// clause). With <paramref name="exactSizes"/>, fewer remaining rows than <paramref name="rowsPerStatement"/> go in one
    /// statement of exactly that many rows instead of one statement per row: for a writer whose batches are small and of
    /// varying sizes (the log's group commits), one statement step per batch.
    /// </summary>
    public RawRowsInsert(SqliteConnection connection, string head, int columns, int rowsPerStatement, string tail = "", bool exactSizes = false)
    {
        _head = head;
        _tail = tail;
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        _columns = columns;
        _exactSizes = exactSizes;
        RowsPerStatement = rowsPerStatement;
        _bySize = new sqlite3_stmt?[rowsPerStatement + 1];
        _lastText = new string?[columns];
        _textBytes = new byte[columns][];
        _textLength = new int[columns];
        for (var c = 0; c < columns; c++) _textBytes[c] = new byte[64];
        try
        {
            _current = Statement(rowsPerStatement);
            Statement(1);
        }
        catch
        {
            Dispose();
            throw;
        }
        _rows = rowsPerStatement;
    }

    /// <summary>
    /// Starts a statement for the next rows: the multi-row one when at least that many remain; else one of exactly the
    /// remaining rows (exact sizes) or a one-row one (executed once per row).
    /// </summary>
    public void Begin(int remaining)
    {
        _rows = remaining >= RowsPerStatement ? RowsPerStatement : _exactSizes ? Math.Max(remaining, 1) : 1;
        _current = Statement(_rows);
        _row = 0;
    }

    /// <summary>How many rows the current statement takes.</summary>
    public int Rows => _rows;

    public void Bind(int column, long value) => Check(raw.sqlite3_bind_int64(_current, Index(column), value));

    /// <summary>
    /// Text, converted to UTF-8 in a buffer of its column (SQLite copies it); the same string bound again in the same
    /// column (an account id on every row) is not converted again.
    /// </summary>
    public void Bind(int column, string value)
    {
        if (!ReferenceEquals(value, _lastText[column]))
        {
            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (max > _textBytes[column].Length) _textBytes[column] = new byte[Math.Max(max, _textBytes[column].Length * 2)];
            _textLength[column] = Encoding.UTF8.GetBytes(value, _textBytes[column]);
            _lastText[column] = value;
        }
        Check(raw.sqlite3_bind_text(_current, Index(column), _textBytes[column].AsSpan(0, _textLength[column])));
    }

    /// <summary>A blob bound from the caller's span (SQLite copies it): no managed copy of a slice.</summary>
    public void Bind(int column, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(_current, Index(column), blob));

    /// <summary>Moves to the next row of the current statement; after its last row, runs it.</summary>
    public void EndRow()
    {
        if (++_row < _rows) return;
        var rc = raw.sqlite3_step(_current);
        raw.sqlite3_reset(_current);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        _row = 0;
    }

    public void Dispose()
    {
        foreach (var stmt in _bySize) stmt?.Dispose();
    }

    private int Index(int column) => (_row * _columns) + column + 1;

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    private sqlite3_stmt Statement(int rows) => _bySize[rows] ??= Prepare(rows);

    private sqlite3_stmt Prepare(int rows)
    {
        var sql = new StringBuilder(_head).Append(" VALUES ");
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
