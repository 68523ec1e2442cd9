using Microsoft.Extensions.Options;
using Sluice.Collect;
using Sluice.Collect.Bulk;
using Sluice.EventLog;
using Sluice.Processing;

namespace Sluice.Import;

/// <summary>
/// Imports one file: reads its CSV rows as a stream (<see cref="ImportFileReader"/>, <see cref="CsvEventReader"/>),
/// checks each as a collected event is checked (<see cref="EventValidator"/>), and appends them to the event log in
/// chunks, each chunk committing the file's position and refused rows in the same transaction. Memory holds two
/// chunks at most, whatever the size of the file.
/// </summary>
/// <remarks>
/// Exactly once: a file that was partly imported is read again from its start and the rows up to its committed
/// position are skipped, so none is lost and none counted twice. Refused rows do not stop the file; a file that
/// cannot be read any further (no header, a quote never closed, a corrupt archive) ends as failed with the reason.
/// Failures of the source itself (a cut connection) are thrown: the caller retries, resuming from the position.
/// </remarks>
internal sealed class CsvFileImporter(EventLogWriter writer, Partitioner partitioner, EventValidator validator, TimeProvider time, IOptions<CollectOptions> collect)
{
    /// <summary>Rows (good and bad) per commit: large enough to keep commits cheap, small enough to resume close to a crash.</summary>
    public const int ChunkRows = 5_000;

    /// <summary>
    /// Refused rows of one file listed in the error file; past this they are counted only, so that a file of nothing
    /// but bad rows cannot grow the error table without bound.
    /// </summary>
    public const int MaxListedErrors = 100_000;

    /// <summary>Imports <paramref name="file"/>; <paramref name="onError"/> hears of each refused row once it is committed.</summary>
    public async Task<ImportFileState> ImportAsync(
        ImportTarget target, IImportSource source, ImportFile file, ImportFileState? resume, ImportProgress progress,
        Func<ImportRowError, Task> onError, CancellationToken ct)
    {
        var config = target.Config;
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        var partition = partitioner.For(target.AccountId);
        var checks = await validator.ForStreamAsync(target.AccountId, config.Stream, config.TimestampField, received, ct);
        var csv = new CsvReadOptions { Delimiter = config.Delimiter, Headers = config.Headers, Encoding = config.TextEncoding };
        var state = resume ?? new ImportFileState(
            target.AccountId, target.JobId ?? "", ImportFileState.KeyOf(file), file.Path, file.Size, file.Modified.ToUnixTimeMilliseconds(),
            0, 0, 0, ImportFileState.Importing, null, received);
        var skip = state.Rows;
        long rows = 0, at = 0;

        var chunk = new List<NewEvent>(ChunkRows);
        var bodies = new ChunkBodies();
        var errors = new List<ImportRowError>();
        var chunkRows = 0;
        long chunkStored = 0, chunkRejected = 0;
        Task? committing = null;

        // Appends the chunk with the position after it; the previous chunk's commit is awaited first, so at most two
        // are in memory and positions commit in order.
        async Task CommitAsync(string status, string? hash)
        {
            state = state with
            {
                Rows = rows, Stored = state.Stored + chunkStored, Rejected = state.Rejected + chunkRejected,
                Status = status, Hash = hash, UpdatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            var (events, held, refused, stored, rejected) = (chunk, bodies, errors, chunkStored, chunkRejected);
            var checkpoint = target.JobId is null ? null : new ImportCheckpoint(state, refused);
            if (committing is not null) await committing;
            committing = Commit();
            (chunk, bodies, errors, chunkRows, chunkStored, chunkRejected) = (new List<NewEvent>(ChunkRows), new ChunkBodies(), [], 0, 0, 0);

            async Task Commit()
            {
                try
                {
                    if (events.Count > 0 || checkpoint is not null) await writer.AppendAsync(events, checkpoint, ct);
                }
                finally
                {
                    // Committed or failed, the log no longer reads the bodies.
                    held.Dispose();
                }
                progress.AddRows(stored, rejected);
                foreach (var e in refused) await onError(e);
            }
        }

        ImportFileReader? reader = null;
        var counted = 0L;
        void Count()
        {
            var read = reader?.Raw.BytesRead ?? 0;
            progress.AddBytes(read - counted);
            counted = read;
            progress.Current = (file.Name, read, file.Size);
        }

        try
        {
            reader = await ImportFileReader.OpenAsync(source, file, collect.Value.MaxBulkCompressionRatio, ct);
            await foreach (var (name, text) in reader.PartsAsync(ct))
            {
                await foreach (var row in CsvEventReader.ReadAsync(text, csv, ct))
                {
                    rows++;
                    // Committed before a crash or a cut connection: already in the log.
                    if (rows <= skip) continue;
                    chunkRows++;
                    var error = row.Error is { } refused ? Reason(refused, row.Line) : checks.Check(row.Json, out at);
                    if (error is not null)
                    {
                        chunkRejected++;
                        var listed = state.Rejected + chunkRejected;
                        if (listed <= MaxListedErrors) errors.Add(new ImportRowError(name, row.Line, error));
                        else if (listed == MaxListedErrors + 1) errors.Add(new ImportRowError(name, row.Line, $"{error}; further refused rows of this file are counted, not listed"));
                    }
                    else
                    {
                        chunk.Add(new NewEvent(target.AccountId, partition, config.Stream, at, received, bodies.Add(row.Json.Span)));
                        chunkStored++;
                    }
                    if (chunkRows == ChunkRows)
                    {
                        Count();
                        await CommitAsync(ImportFileState.Importing, null);
                    }
                }
            }
            var hash = await reader.Raw.FinishAsync(ct);
            Count();
            await CommitAsync(ImportFileState.Done, hash);
        }
        catch (Exception e) when (e is BulkFormatException or ImportFileException or InvalidDataException or InflationLimitException)
        {
            // The file cannot be read any further: what was read is kept, and the file is not tried again unchanged.
            var line = e is BulkFormatException f ? f.Line : 0;
            var reason = e switch
            {
                BulkFormatException => Reason(e.Message, line),
                InvalidDataException => $"the file cannot be read: {e.Message}",
                _ => e.Message,
            };
            errors.Add(new ImportRowError(file.Name, line, reason));
            chunkRejected++;
            Count();
            await CommitAsync(ImportFileState.Failed, null);
        }
        finally
        {
            // Also when reading failed: the chunk already handed to the log is committed (or not) before anyone resumes.
            if (committing is not null) await committing;
            if (reader is not null) await reader.DisposeAsync();
            progress.Current = null;
        }
        return state;
    }

    private static string Reason(string error, long line) =>
        error.StartsWith($"line {line}: ", StringComparison.Ordinal) ? error[$"line {line}: ".Length..] : error;
}
