using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Import;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Import positions live in the log's file: a file's position and its refused rows are written in the transaction
/// that appends its events, so after a crash the position says exactly which rows are in the log.
/// </summary>
internal sealed partial class SqliteEventLog : IImportLedger
{
    private const string UpsertFile =
        """
        INSERT INTO import_files (job_id, file_key, account_id, name, size, modified, rows_read, stored, rejected, status, hash, updated)
        VALUES (@JobId, @FileKey, @AccountId, @Name, @Size, @ModifiedMs, @Rows, @Stored, @Rejected, @Status, @Hash, @UpdatedMs)
        ON CONFLICT (job_id, file_key) DO UPDATE SET rows_read = excluded.rows_read, stored = excluded.stored,
            rejected = excluded.rejected, status = excluded.status, hash = excluded.hash, updated = excluded.updated
        """;

    private const string SelectFile =
        """
        SELECT account_id AS AccountId, job_id AS JobId, file_key AS FileKey, name AS Name, size AS Size, modified AS ModifiedMs,
               rows_read AS Rows, stored AS Stored, rejected AS Rejected, status AS Status, hash AS Hash, updated AS UpdatedMs
        FROM import_files
        """;

    private static async Task WriteCheckpointsAsync(SqliteConnection c, SqliteTransaction? tx, IReadOnlyList<ImportCheckpoint> checkpoints, CancellationToken ct)
    {
        foreach (var checkpoint in checkpoints)
        {
            await c.ExecuteAsync(new CommandDefinition(UpsertFile, checkpoint.State, tx, cancellationToken: ct));
            foreach (var e in checkpoint.Errors)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO import_errors (job_id, file, line, reason) VALUES (@job, @File, @Line, @Reason)",
                    new { job = checkpoint.State.JobId, e.File, e.Line, e.Reason }, tx, cancellationToken: ct));
            }
        }
    }

    public async Task<ImportFileState?> FindAsync(string jobId, string fileKey, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ImportFileState>(
            new CommandDefinition($"{SelectFile} WHERE job_id = @jobId AND file_key = @fileKey", new { jobId, fileKey }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ImportFileState>> FilesAsync(string jobId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<ImportFileState>(new CommandDefinition($"{SelectFile} WHERE job_id = @jobId ORDER BY rowid", new { jobId }, cancellationToken: ct))];
    }

    public async Task SaveAsync(ImportFileState state, CancellationToken ct)
    {
        // Through the append gate: a state must never overtake one committed with events.
        await _appendGate.WaitAsync(ct);
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition(UpsertFile, state, cancellationToken: ct));
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public async IAsyncEnumerable<ImportRowError> ErrorsAsync(string jobId, [EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            List<(long Id, string File, long Line, string Reason)> page;
            await using (var c = await db.OpenAsync(ct))
            {
                page = [.. await c.QueryAsync<(long, string, long, string)>(new CommandDefinition(
                    "SELECT id, file, line, reason FROM import_errors WHERE job_id = @jobId AND id > @after ORDER BY id LIMIT 5000",
                    new { jobId, after }, cancellationToken: ct))];
            }
            foreach (var e in page) yield return new ImportRowError(e.File, e.Line, e.Reason);
            if (page.Count < 5000) yield break;
            after = page[^1].Id;
        }
    }
}
