using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Auth;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteTokenStore(SqliteDatabase db) : ITokenStore, IDisposable
{
    /// <summary>
    /// Longest time the counter read last is trusted while <see cref="RevocationSignal"/> has not moved: a change to
    /// the tokens made without Sluice (SQL run on the file by hand) is noticed within this time. Revocations through
    /// Sluice, by this process or any other on the store (the command line), are noticed at the next request.
    /// </summary>
    public static readonly TimeSpan SignalBackstop = TimeSpan.FromSeconds(1);

    private readonly Lazy<RevocationSignal> _signal = new(() => new RevocationSignal(db.Path));

    /// <summary>The signal's value, the counter read after it, and when: replaced whole, so readers never see a mix.</summary>
    private CounterRead? _lastRead;

    /// <summary>
    /// Prepared reads of the revocation counter, each on a connection of its own that stays open: opening a pooled
    /// connection runs the store's pragmas, which costs more than the read itself.
    /// </summary>
    private readonly ConcurrentBag<SqliteCommand> _counterReads = [];

    /// <summary>
    /// Readers kept for reuse. The read completes synchronously, so about one per thread is ever busy; a burst beyond
    /// that gets a reader of its own, closed after use.
    /// </summary>
    private static readonly int KeptCounterReads = Environment.ProcessorCount * 2;

    private const string Columns =
        "id AS Id, account_id AS AccountId, name AS Name, description AS Description, roles AS Roles, " +
        "created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt, last_used_at AS LastUsedAt";

    public async Task InsertAsync(AccessToken token, byte[] hash, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO access_tokens (id, account_id, name, description, roles, token_hash, created_at, expires_at)
            VALUES (@Id, @AccountId, @Name, @Description, @Roles, @Hash, @CreatedAt, @ExpiresAt)
            """,
            new
            {
                token.Id,
                token.AccountId,
                token.Name,
                token.Description,
                Roles = Auth.Roles.Format(token.Roles),
                Hash = hash,
                CreatedAt = UnixMs.From(token.CreatedAt),
                ExpiresAt = token.ExpiresAt is { } e ? UnixMs.From(e) : (long?)null,
            });
    }

    public async Task<AccessToken?> FindByHashAsync(byte[] hash, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM access_tokens WHERE token_hash = @hash", new { hash });
        return row?.ToToken();
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Columns} FROM access_tokens WHERE account_id = @accountId ORDER BY created_at", new { accountId });
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<bool> RevokeAsync(string accountId, string tokenId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var n = await c.ExecuteAsync(
            "UPDATE access_tokens SET revoked_at = @now WHERE id = @tokenId AND account_id = @accountId AND revoked_at IS NULL",
            new { now = UnixMs.From(now), tokenId, accountId });
        // After the commit, so that a reader that sees the signal move also sees the revocation when it reads the counter.
        if (n > 0) _signal.Value.Raise();
        return n == 1;
    }

    public async Task TouchAsync(string tokenId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE access_tokens SET last_used_at = @now WHERE id = @tokenId", new { now = UnixMs.From(now), tokenId });
    }

    /// <summary>
    /// The revocation counter. Read from the store only when <see cref="RevocationSignal"/> moved since the last read,
    /// or that read is older than <see cref="SignalBackstop"/>; otherwise the last value, at the cost of a memory read.
    /// The signal is read before the counter and raised after a revocation commits, so a counter paired with a signal
    /// value always includes every revocation that raised the signal before it.
    /// </summary>
    public async Task<long> RevocationsAsync(CancellationToken ct)
    {
        var signal = _signal.Value.Read();
        var last = Volatile.Read(ref _lastRead);
        if (last is not null && last.Signal == signal && Stopwatch.GetElapsedTime(last.At) < SignalBackstop) return last.Counter;
        var at = Stopwatch.GetTimestamp();
        var counter = await ReadCounterAsync(ct);
        Volatile.Write(ref _lastRead, new CounterRead(signal, counter, at));
        return counter;
    }

    private async Task<long> ReadCounterAsync(CancellationToken ct)
    {
        if (!_counterReads.TryTake(out var read)) read = await PrepareCounterReadAsync(ct);
        try
        {
            return (long)(await read.ExecuteScalarAsync(ct))!;
        }
        finally
        {
            if (_counterReads.Count < KeptCounterReads) _counterReads.Add(read);
            else Close(read);
        }
    }

    private async Task<SqliteCommand> PrepareCounterReadAsync(CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = "SELECT counter FROM token_revocations WHERE id = 1";
        command.Prepare();
        return command;
    }

    private static void Close(SqliteCommand read)
    {
        var connection = read.Connection;
        read.Dispose();
        connection?.Dispose();
    }

    public void Dispose()
    {
        while (_counterReads.TryTake(out var read)) Close(read);
        if (_signal.IsValueCreated) _signal.Value.Dispose();
    }

    private sealed record CounterRead(long Signal, long Counter, long At);

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string Roles { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ExpiresAt { get; set; }
        public long? RevokedAt { get; set; }
        public long? LastUsedAt { get; set; }

        public AccessToken ToToken() => new(
            Id, AccountId, Name, Description, Auth.Roles.ParseStored(Roles),
            UnixMs.To(CreatedAt), UnixMs.To(ExpiresAt), UnixMs.To(RevokedAt), UnixMs.To(LastUsedAt));
    }
}
