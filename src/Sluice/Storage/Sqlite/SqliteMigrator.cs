using System.Globalization;
using System.Reflection;
using Dapper;

namespace Sluice.Storage.Sqlite;

/// <summary>Applies the embedded, numbered SQL scripts that are newer than the database's <c>user_version</c>.</summary>
internal static class SqliteMigrator
{
    /// <summary>Brings both files of the embedded store up to date.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await MigrateAsync(services.GetRequiredService<SqliteDatabase>(), ct);
        await MigrateAsync(services.GetRequiredKeyedService<SqliteDatabase>(SqliteDatabase.LogKey), ct);
    }

    public static async Task MigrateAsync(SqliteDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var current = await connection.ExecuteScalarAsync<long>("PRAGMA user_version");
        foreach (var (version, sql) in Scripts($"sqlite/{db.MigrationSet}/").Where(s => s.Version > current).OrderBy(s => s.Version))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(sql, transaction: tx);
            // PRAGMA does not take parameters; the version is an integer parsed from a resource name.
            await connection.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version}"), transaction: tx);
            await tx.CommitAsync(ct);
        }
    }

    private static IEnumerable<(int Version, string Sql)> Scripts(string prefix)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var version = int.Parse(name.AsSpan(prefix.Length, 4), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }
}
