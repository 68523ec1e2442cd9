using Sluice.Profiles;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>Pooled connections skip the settings they already run with, and get them back after a caller changed one.</summary>
public sealed class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task Every_connection_opened_after_a_processor_batch_runs_with_the_store_settings()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var db = pipeline.Services.GetRequiredService<SqliteDatabase>();
        // A processor batch turns automatic WAL checkpoints off on its connection.
        await using (var batch = await pipeline.Services.GetRequiredService<IProfileStore>().BeginBatchAsync(0, CancellationToken.None))
        {
            await batch.PositionAsync(CancellationToken.None);
        }

        // Held open together, so that the pool hands out every connection it has, the batch's included.
        var connections = new List<Microsoft.Data.Sqlite.SqliteConnection>();
        try
        {
            for (var i = 0; i < 4; i++) connections.Add(await db.OpenAsync(CancellationToken.None));
            foreach (var c in connections)
            {
                Assert.Equal(10_000L, await ScalarAsync(c, "PRAGMA wal_autocheckpoint"));
                Assert.Equal(1L, await ScalarAsync(c, "PRAGMA secure_delete"));
                Assert.Equal("wal", await ScalarAsync(c, "PRAGMA journal_mode"));
            }
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    private static async Task<object?> ScalarAsync(Microsoft.Data.Sqlite.SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}
