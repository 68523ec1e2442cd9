using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode. The embedded store has two: the event log, written only by the log writer with
/// <c>synchronous=FULL</c> (a 2xx from collect promises durability; group commit amortises the fsync), and the main
/// file (accounts, tokens, profiles, positions) with <c>synchronous=NORMAL</c>: everything in it that is derived from
/// the log commits with its log position, so a lost tail after a power cut is replayed, not lost. Two files also mean
/// appends never wait behind a profile transaction for SQLite's single write lock.
/// </summary>
internal sealed class SqliteDatabase
{
    public const string LogKey = "log";

    /// <summary>
    /// Native connections that already run with <see cref="_pragmas"/>. Pooled connections keep their settings, so a
    /// reopened one skips them: the profiler showed the PRAGMA string parsed and run on every open, several times per
    /// processing batch. A connection whose settings a caller changes is forgotten (<see cref="ForgetSettings"/>).
    /// </summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    private static readonly object Marker = new();

    private readonly string _connectionString;
    private readonly string _pragmas;

    private SqliteDatabase(string path, string migrationSet, bool fullSync)
    {
        Path = path;
        MigrationSet = migrationSet;
        // An 8 MiB page cache per connection: pooled connections each keep theirs, and 64 MiB made the processing
        // benchmark's process 190 MiB larger without making it faster (the processor caches its profiles and identity
        // index itself). WAL checkpoints every ~40 MiB instead of 4 MiB. No memory map: it grew the resident size by
        // the mapped size for no measured gain. secure_delete zeroes whatever a delete or an update frees, so that a
        // privacy delete leaves no readable copy in free pages; it is per connection, hence on every one (an old
        // profile document freed by an ordinary update is as much the person's as the last one).
        _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=ON; " +
                   "PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Busy writers (another process running `sluice token create`) are retried for this long.
            DefaultTimeout = 30,
        }.ToString();
    }

    public static SqliteDatabase ForMain(string dataDir) => new(System.IO.Path.Combine(dataDir, "sluice.db"), "main", fullSync: false);

    public static SqliteDatabase ForLog(string dataDir) => new(System.IO.Path.Combine(dataDir, "events.db"), "log", fullSync: true);

    public string Path { get; }

    /// <summary>Which numbered scripts (<c>Migrations/{set}</c>) build this file.</summary>
    public string MigrationSet { get; }

    /// <summary>A blocking open, only for callers whose interface is synchronous (Data Protection's key ring).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        if (IsConfigured(connection)) return connection;
        using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        pragma.ExecuteNonQuery();
        Configured.AddOrUpdate(connection.Handle!, Marker);
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        if (IsConfigured(connection)) return connection;
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        await pragma.ExecuteNonQueryAsync(ct);
        Configured.AddOrUpdate(connection.Handle!, Marker);
        return connection;
    }

    private static bool IsConfigured(SqliteConnection connection) => connection.Handle is { } handle && Configured.TryGetValue(handle, out _);

    /// <summary>The caller changed a setting of this connection: its next open from the pool applies them all again.</summary>
    public static void ForgetSettings(SqliteConnection connection)
    {
        if (connection.Handle is { } handle) Configured.Remove(handle);
    }
}
