using Dapper;
using Sluice.Audiences;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteAudienceStore(SqliteDatabase db) : IAudienceStore
{
    private const string Columns = "id, account_id, slug, name, description, segment_ql, is_default, created_at, updated_at";

    // Dapper builds the row records by constructor parameter name.
    private const string Selected =
        "id AS Id, account_id AS AccountId, slug AS Slug, name AS Name, description AS Description, segment_ql AS SegmentQl, " +
        "is_default AS IsDefault, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private sealed record Row(string Id, string AccountId, string Slug, string Name, string? Description, string SegmentQl, long IsDefault, long CreatedAt, long UpdatedAt)
    {
        public Audience ToAudience() => new(Id, AccountId, Slug, Name, Description, SegmentQl, IsDefault != 0, UnixMs.To(CreatedAt), UnixMs.To(UpdatedAt));
    }

    public async Task<IReadOnlyList<Audience>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Selected} FROM audiences WHERE account_id = @accountId ORDER BY is_default DESC, created_at, slug", new { accountId });
        return [.. rows.Select(r => r.ToAudience())];
    }

    public async Task<Audience?> FindAsync(string accountId, string idOrSlug, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM audiences WHERE account_id = @accountId AND (id = @idOrSlug OR slug = @idOrSlug)", new { accountId, idOrSlug });
        return row?.ToAudience();
    }

    public async Task<bool> CreateAsync(Audience a, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            $"""
            INSERT INTO audiences ({Columns}) VALUES (@Id, @AccountId, @Slug, @Name, @Description, @SegmentQl, @IsDefault, @Created, @Updated)
            ON CONFLICT (account_id, slug) DO NOTHING
            """, Parameters(a)) == 1;
    }

    public async Task<bool> UpdateAsync(Audience a, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var taken = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audiences WHERE account_id = @AccountId AND slug = @Slug AND id <> @Id", new { a.AccountId, a.Slug, a.Id });
        if (taken > 0) return false;
        return await c.ExecuteAsync(
            """
            UPDATE audiences SET slug = @Slug, name = @Name, description = @Description, segment_ql = @SegmentQl, updated_at = @Updated
            WHERE id = @Id AND account_id = @AccountId
            """, Parameters(a)) == 1;
    }

    public async Task<bool> DeleteAsync(string accountId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var deleted = await c.ExecuteAsync("DELETE FROM audiences WHERE id = @id AND account_id = @accountId", new { id, accountId }, tx);
        await c.ExecuteAsync("DELETE FROM audience_members WHERE audience_id = @id AND account_id = @accountId", new { id, accountId }, tx);
        await tx.CommitAsync(ct);
        return deleted == 1;
    }

    public async Task<long> SizeAsync(string accountId, string audienceId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audience_members WHERE audience_id = @audienceId AND account_id = @accountId", new { accountId, audienceId });
    }

    public async Task<IReadOnlyList<long>> MembersAsync(string accountId, string audienceId, long afterProfileId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<long>(
            """
            SELECT profile_id FROM audience_members WHERE audience_id = @audienceId AND account_id = @accountId AND profile_id > @afterProfileId
            ORDER BY profile_id LIMIT @limit
            """, new { accountId, audienceId, afterProfileId, limit })];
    }

    public async Task<IReadOnlyList<MembershipChange>> HistoryAsync(string accountId, string audienceId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. (await c.QueryAsync<ChangeRow>(
            $"""
            SELECT {ChangeColumns} FROM membership_changes WHERE audience_id = @audienceId AND account_id = @accountId
            ORDER BY at DESC, partition, seq DESC LIMIT @limit
            """, new { accountId, audienceId, limit })).Select(r => r.ToChange())];
    }

    public async Task<IReadOnlyList<MembershipChange>> ReadFeedAsync(int partition, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. (await c.QueryAsync<ChangeRow>(
            $"SELECT {ChangeColumns} FROM membership_changes WHERE partition = @partition AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { partition, afterSeq, limit })).Select(r => r.ToChange())];
    }

    private const string ChangeColumns =
        "seq AS Seq, partition AS Partition, account_id AS AccountId, profile_id AS ProfileId, audience_id AS AudienceId, entered AS Entered, at AS At, position AS Position";

    private sealed record ChangeRow(long Seq, long Partition, string AccountId, long ProfileId, string AudienceId, long Entered, long At, long Position)
    {
        public MembershipChange ToChange() => new(Seq, (int)Partition, AccountId, ProfileId, AudienceId, Entered != 0, At, Position);
    }

    private static object Parameters(Audience a) => new
    {
        a.Id, a.AccountId, a.Slug, a.Name, a.Description, a.SegmentQl, IsDefault = a.IsDefault ? 1 : 0,
        Created = UnixMs.From(a.Created), Updated = UnixMs.From(a.Updated),
    };
}
