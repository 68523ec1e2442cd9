using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Export;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteExportStateStore(SqliteDatabase db) : IExportStateStore
{
    public async Task<ExportCheckpoint?> LoadAsync(string jobId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long FeedSeq, string? Pass, long After, long Done, long Total)?>(
            "SELECT feed_seq, pass, pass_after, pass_done, pass_total FROM export_checkpoints WHERE job_id = @jobId", new { jobId });
        return row is { } r ? new ExportCheckpoint(r.FeedSeq, r.Pass, r.After, r.Done, r.Total) : null;
    }

    public async Task<IReadOnlyDictionary<long, ToldState>> ToldAsync(string jobId, IReadOnlyCollection<long> profileIds, CancellationToken ct)
    {
        var told = new Dictionary<long, ToldState>(profileIds.Count);
        if (profileIds.Count == 0) return told;
        await using var c = await db.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // One statement for the whole set: the ids travel as one JSON array parameter.
        cmd.CommandText = "SELECT profile_id, identifier, vals FROM export_told WHERE job_id = $job AND profile_id IN (SELECT value FROM json_each($ids))";
        cmd.Parameters.AddWithValue("$job", jobId);
        cmd.Parameters.AddWithValue("$ids", "[" + string.Join(',', profileIds.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) told[r.GetInt64(0)] = new ToldState(r.GetString(1), Values(r.GetString(2)));
        return told;
    }

    public async Task<IReadOnlyList<long>> ToldProfilesAsync(string jobId, long afterProfileId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<long>(
            "SELECT profile_id FROM export_told WHERE job_id = @jobId AND profile_id > @afterProfileId ORDER BY profile_id LIMIT @limit",
            new { jobId, afterProfileId, limit })];
    }

    public async Task SaveAsync(
        string jobId, ExportCheckpoint checkpoint, IReadOnlyCollection<KeyValuePair<long, ToldState?>> told, IReadOnlyList<ExportRow> rows,
        CancellationToken ct, IReadOnlyCollection<string>? erasedUsers = null, IReadOnlyCollection<ExportMinute>? minutes = null)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO export_checkpoints (job_id, feed_seq, pass, pass_after, pass_done, pass_total) VALUES (@jobId, @FeedSeq, @Pass, @PassAfter, @PassDone, @PassTotal)
            ON CONFLICT (job_id) DO UPDATE SET feed_seq = excluded.feed_seq, pass = excluded.pass, pass_after = excluded.pass_after,
                pass_done = excluded.pass_done, pass_total = excluded.pass_total
            """, new { jobId, checkpoint.FeedSeq, checkpoint.Pass, checkpoint.PassAfter, checkpoint.PassDone, checkpoint.PassTotal }, tx);

        // A step saves about a thousand told states and row log lines: each set goes in as one statement over one JSON
        // array parameter, since a statement per line cost more in the driver than in SQLite's own work.
        var upserts = told.Where(t => t.Value is not null).ToList();
        if (upserts.Count > 0)
        {
            await ExecuteAsync(c, tx,
                """
                INSERT INTO export_told (job_id, profile_id, identifier, vals)
                SELECT $job, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each($lines) WHERE true
                ON CONFLICT (job_id, profile_id) DO UPDATE SET identifier = excluded.identifier, vals = excluded.vals
                """, jobId, Lines(upserts, static (w, t) =>
                {
                    w.WriteNumberValue(t.Key);
                    w.WriteStringValue(t.Value!.Identifier);
                    w.WriteRawValue(ValuesJson(t.Value.Values), skipInputValidation: true);
                }), ct);
        }
        var forgotten = told.Where(t => t.Value is null).Select(t => t.Key).ToList();
        if (forgotten.Count > 0)
        {
            await ExecuteAsync(c, tx, "DELETE FROM export_told WHERE job_id = $job AND profile_id IN (SELECT value FROM json_each($lines))",
                jobId, "[" + string.Join(',', forgotten.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]", ct);
        }
        if (rows.Count > 0)
        {
            await ExecuteAsync(c, tx,
                """
                INSERT INTO export_rows (job_id, at, user, added, removed, status, error, attempts)
                SELECT $job, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                       json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]')
                FROM json_each($lines) ORDER BY key
                """, jobId, Lines(rows, static (w, r) =>
                {
                    w.WriteNumberValue(UnixMs.From(r.At));
                    w.WriteStringValue(r.User);
                    w.WriteRawValue(ValuesJson(r.Added), skipInputValidation: true);
                    w.WriteRawValue(ValuesJson(r.Removed), skipInputValidation: true);
                    w.WriteStringValue(r.Status);
                    if (r.Error is null) w.WriteNullValue();
                    else w.WriteStringValue(r.Error);
                    w.WriteNumberValue(r.Attempts);
                }), ct);
        }
        foreach (var user in erasedUsers ?? [])
        {
            await c.ExecuteAsync("DELETE FROM export_rows WHERE job_id = @jobId AND user = @user", new { jobId, user }, tx);
        }
        foreach (var m in minutes ?? [])
        {
            await c.ExecuteAsync(
                """
                INSERT INTO export_minutes (job_id, minute, sent, failed, retried, rate_limited) VALUES (@jobId, @minute, @Sent, @Failed, @Retried, @RateLimited)
                ON CONFLICT (job_id, minute) DO UPDATE SET sent = sent + excluded.sent, failed = failed + excluded.failed,
                    retried = retried + excluded.retried, rate_limited = rate_limited + excluded.rate_limited
                """, new { jobId, minute = m.Minute.ToUnixTimeMilliseconds() / 60_000, m.Sent, m.Failed, m.Retried, m.RateLimited }, tx);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ExportRow>> RowsAsync(string jobId, string? status, string? user, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long At, string User, string Added, string Removed, string Status, string? Error, long Attempts)>(
            """
            SELECT at, user, added, removed, status, error, attempts FROM export_rows
            WHERE job_id = @jobId AND (@status IS NULL OR status = @status) AND (@user IS NULL OR user = @user)
            ORDER BY at DESC, rowid DESC LIMIT @limit
            """, new { jobId, status, user, limit });
        return [.. rows.Select(r => new ExportRow(UnixMs.To(r.At), r.User, Values(r.Added), Values(r.Removed), r.Status, r.Error, (int)r.Attempts))];
    }

    public async Task<IReadOnlyList<ExportMinute>> MinutesAsync(string jobId, DateTimeOffset since, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var minutes = await c.QueryAsync<(long Minute, long Sent, long Failed, long Retried, long RateLimited)>(
            """
            SELECT minute, sent, failed, retried, rate_limited FROM export_minutes
            WHERE job_id = @jobId AND minute >= @since ORDER BY minute
            """, new { jobId, since = since.ToUnixTimeMilliseconds() / 60_000 });
        return [.. minutes.Select(m => new ExportMinute(DateTimeOffset.FromUnixTimeMilliseconds(m.Minute * 60_000), m.Sent, m.Failed, m.Retried, m.RateLimited))];
    }

    public async Task PruneMinutesAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM export_minutes WHERE minute < @before", new { before = before.ToUnixTimeMilliseconds() / 60_000 });
    }

    public async Task PruneRowsAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM export_rows WHERE at < @before", new { before = UnixMs.From(before) });
    }

    public async Task ForgetAsync(string jobId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM export_told WHERE job_id = @jobId", new { jobId }, tx);
        await c.ExecuteAsync("DELETE FROM export_checkpoints WHERE job_id = @jobId", new { jobId }, tx);
        await tx.CommitAsync(ct);
    }

    private static string[] Values(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>
    /// A value list as a JSON array. A step saves two or three per profile, and audience values are plain slugs:
    /// those are written directly (the serializer cost a measurable part of a backfill step's save); anything that
    /// would need escaping goes through the serializer.
    /// </summary>
    private static string ValuesJson(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return "[]";
        var length = 1;
        foreach (var v in values)
        {
            foreach (var ch in v)
            {
                if (ch < 0x20 || ch > 0x7e || ch is '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') return JsonSerializer.Serialize(values);
            }
            length += v.Length + 3;
        }
        return string.Create(length, values, static (span, vs) =>
        {
            var at = 0;
            span[at++] = '[';
            for (var i = 0; i < vs.Count; i++)
            {
                if (i > 0) span[at++] = ',';
                span[at++] = '"';
                vs[i].AsSpan().CopyTo(span[at..]);
                at += vs[i].Length;
                span[at++] = '"';
            }
            span[at] = ']';
        });
    }

    private static async Task ExecuteAsync(SqliteConnection c, SqliteTransaction tx, string sql, string jobId, string lines, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$job", jobId);
        cmd.Parameters.AddWithValue("$lines", lines);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // Text other than ASCII is written as is (not as \u escapes), so SQLite's JSON functions hand it back unchanged.
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Items as a JSON array of arrays, each written by <paramref name="write"/>, for <c>json_each</c>.</summary>
    private static string Lines<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, LineOptions))
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                w.WriteStartArray();
                write(w, item);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
