using Sluice.Accounts;
using Sluice.EventLog;
using Sluice.Processing;

namespace Sluice.Collect.Bulk;

/// <summary>
/// Appends the rows of a bulk file to the event log in chunks, with one chunk committing while the next is read:
/// memory stays bounded by two chunks whatever the size of the file, and a slow log slows the reading down.
/// </summary>
/// <remarks>
/// A bulk file can be far larger than memory, so it cannot be all-or-nothing. Without <c>droperrors</c> the first
/// refused row stops the ingest: every row before it is committed, nothing from it on, and the outcome names the
/// line so that the rest can be fixed and sent again. With <c>droperrors</c> refused rows are counted, the first
/// <see cref="MaxReportedErrors"/> reported, and the rest stored.
/// </remarks>
internal sealed class BulkIngest(EventLogWriter writer, Partitioner partitioner, EventValidator validator, TimeProvider time)
{
    public const int ChunkSize = 5_000;

    public const int MaxReportedErrors = 100;

    public async Task<BulkOutcome> RunAsync(
        Account account, string stream, IAsyncEnumerable<BulkRow> rows, BulkIngestOptions options, CancellationToken ct)
    {
        // One receive time for the whole file: rows without a time of their own get the time the upload began.
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        var partition = partitioner.For(account.Id);
        // The same checks as a single collected event: its time, and identity values within the size limit.
        var checks = await validator.ForStreamAsync(account.Id, stream, options.TimestampField, received, ct);
        var chunk = new List<NewEvent>(ChunkSize);
        var bodies = new ChunkBodies();
        Task? committing = null;
        long accepted = 0, rejected = 0, stoppedLine = 0;
        string? stopped = null;
        Exception? failure = null;
        var errors = new List<string>();

        try
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                var error = row.Error;
                long at = 0;
                if (error is null && checks.Check(row.Json, out at) is { } problem) error = $"line {row.Line}: {problem}";
                if (error is not null)
                {
                    rejected++;
                    if (errors.Count < MaxReportedErrors) errors.Add(error);
                    if (options.DropErrors) continue;
                    (stopped, stoppedLine) = (error, row.Line);
                    break;
                }

                accepted++;
                if (options.DryRun) continue;
                chunk.Add(new NewEvent(account.Id, partition, stream, at, received, bodies.Add(row.Json.Span)));
                if (chunk.Count == ChunkSize)
                {
                    if (committing is not null) await committing;
                    committing = AppendAsync(chunk, bodies, ct);
                    (chunk, bodies) = (new List<NewEvent>(ChunkSize), new ChunkBodies());
                }
            }
        }
        catch (BulkFormatException e)
        {
            (stopped, stoppedLine) = (e.Message, e.Line);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The input failed (a cut connection, a corrupt gzip stream, a body over the limit): the rows read
            // before it are still committed below, and the caller decides what to answer.
            failure = e;
        }

        if (committing is not null) await committing;
        await AppendAsync(chunk, bodies, ct);
        return new BulkOutcome(accepted, rejected, errors, stopped, stoppedLine, failure);
    }

    /// <summary>Appends a chunk, then hands its bodies' blocks back (also when the append failed: the log is done with them).</summary>
    private async Task AppendAsync(List<NewEvent> chunk, ChunkBodies bodies, CancellationToken ct)
    {
        try
        {
            if (chunk.Count > 0) await writer.AppendAsync(chunk, ct);
        }
        finally
        {
            bodies.Dispose();
        }
    }
}
