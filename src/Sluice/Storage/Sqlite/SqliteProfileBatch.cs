using Dapper;
using Microsoft.Data.Sqlite;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

/// <summary>One processor transaction on SQLite: reads see the batch's own writes; the position commits with them.</summary>
internal sealed class SqliteProfileBatch : IProfileBatch
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly int _partition;
    private bool _committed;

    private SqliteProfileBatch(SqliteConnection c, SqliteTransaction tx, int partition)
    {
        _c = c;
        _tx = tx;
        _partition = partition;
    }

    /// <summary>IMMEDIATE (not deferred) takes the write lock up front, so a batch never fails half way on a lock upgrade.</summary>
    public static SqliteProfileBatch Begin(SqliteConnection c, int partition) =>
        new(c, c.BeginTransaction(deferred: false), partition);

    public async Task<long> PositionAsync(CancellationToken ct) =>
        await _c.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT position FROM processor_positions WHERE partition = @_partition", new { _partition }, _tx, cancellationToken: ct)) ?? 0;

    public Task<long?> FindProfileIdAsync(string accountId, string identityName, string identityValue, CancellationToken ct) =>
        _c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT profile_id FROM identities WHERE account_id = @accountId AND name = @identityName AND value = @identityValue",
            new { accountId, identityName, identityValue }, _tx, cancellationToken: ct));

    public async Task<StoredProfile?> LoadAsync(string accountId, long profileId, CancellationToken ct)
    {
        var row = await _c.QuerySingleOrDefaultAsync<ProfileRow>(
            new CommandDefinition(ProfileRow.Select, new { accountId, profileId }, _tx, cancellationToken: ct));
        return row?.ToProfile(accountId);
    }

    public Task<long> InsertAsync(StoredProfile p, CancellationToken ct) =>
        _c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO profiles (account_id, created_at, modified_at, last_event_at, doc)
            VALUES (@AccountId, @CreatedAtMs, @ModifiedAtMs, @LastEventAtMs, @Doc) RETURNING id
            """,
            new { p.AccountId, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, Doc = p.Document.Serialize() }, _tx, cancellationToken: ct));

    public Task UpdateAsync(StoredProfile p, CancellationToken ct) =>
        _c.ExecuteAsync(new CommandDefinition(
            "UPDATE profiles SET created_at = @CreatedAtMs, modified_at = @ModifiedAtMs, last_event_at = @LastEventAtMs, doc = @Doc WHERE id = @Id",
            new { p.Id, p.CreatedAtMs, p.ModifiedAtMs, p.LastEventAtMs, Doc = p.Document.Serialize() }, _tx, cancellationToken: ct));

    public Task AddIdentityAsync(string accountId, string identityName, string identityValue, long profileId, CancellationToken ct) =>
        _c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO identities (account_id, name, value, profile_id) VALUES (@accountId, @identityName, @identityValue, @profileId)
            ON CONFLICT (account_id, name, value) DO UPDATE SET profile_id = excluded.profile_id
            """,
            new { accountId, identityName, identityValue, profileId }, _tx, cancellationToken: ct));

    public async Task CommitAsync(long position, CancellationToken ct)
    {
        await _c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO processor_positions (partition, position) VALUES (@_partition, @position)
            ON CONFLICT (partition) DO UPDATE SET position = excluded.position
            """,
            new { _partition, position }, _tx, cancellationToken: ct));
        await _tx.CommitAsync(ct);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await _tx.RollbackAsync();
        await _tx.DisposeAsync();
        await _c.DisposeAsync();
    }
}
