using Dapper;
using Sluice.Audiences;
using Sluice.Profiles;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteAudienceStore(SqliteDatabase db) : IAudienceStore
{
    private const string Columns = "id, account_id, slug, name, description, segment_ql, is_default, created_at, updated_at";

    // Dapper builds the row records by constructor parameter name.
    // With its number, from a join (not a subquery) so that the column has a declared type for Dapper to map.
    private const string Selected =
        "a.id AS Id, a.account_id AS AccountId, a.slug AS Slug, a.name AS Name, a.description AS Description, a.segment_ql AS SegmentQl, " +
        "a.is_default AS IsDefault, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt, n.number AS Number";

    private const string From = "audiences a LEFT JOIN audience_numbers n ON n.audience_id = a.id";

    private sealed record Row(string Id, string AccountId, string Slug, string Name, string? Description, string SegmentQl, long IsDefault, long CreatedAt, long UpdatedAt, long? Number)
    {
        public Audience ToAudience() =>
            new(Id, AccountId, Slug, Name, Description, SegmentQl, IsDefault != 0, UnixMs.To(CreatedAt), UnixMs.To(UpdatedAt)) { Number = (int)(Number ?? 0) };
    }

    public async Task<IReadOnlyList<Audience>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Selected} FROM {From} WHERE a.account_id = @accountId ORDER BY a.is_default DESC, a.created_at, a.slug", new { accountId });
        return [.. rows.Select(r => r.ToAudience())];
    }

    public async Task<Audience?> FindAsync(string accountId, string idOrSlug, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM {From} WHERE a.account_id = @accountId AND (a.id = @idOrSlug OR a.slug = @idOrSlug)", new { accountId, idOrSlug });
        return row?.ToAudience();
    }

    public async Task<bool> CreateAsync(Audience a, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var created = await c.ExecuteAsync(
            $"""
            INSERT INTO audiences ({Columns}) VALUES (@Id, @AccountId, @Slug, @Name, @Description, @SegmentQl, @IsDefault, @Created, @Updated)
            ON CONFLICT (account_id, slug) DO NOTHING
            """, Parameters(a), tx) == 1;
        if (!created) return false;
        // The next number of the account, counting deleted audiences' numbers, which are never given out again.
        await c.ExecuteAsync(
            """
            INSERT INTO audience_numbers (account_id, number, audience_id)
            SELECT @AccountId, COALESCE(MAX(number), 0) + 1, @Id FROM audience_numbers WHERE account_id = @AccountId
            """, new { a.AccountId, a.Id }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<AudienceNumbering> NumberingAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await NumberingAsync(c, accountId);
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
        await c.ExecuteAsync("DELETE FROM audience_sizes WHERE audience_id = @id AND account_id = @accountId", new { id, accountId }, tx);
        await tx.CommitAsync(ct);
        return deleted == 1;
    }

    public async Task<long> SizeAsync(string accountId, string audienceId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(size), 0) FROM audience_sizes WHERE audience_id = @audienceId AND account_id = @accountId", new { accountId, audienceId });
    }

    public async Task<IReadOnlyList<long>> MembersAsync(string accountId, string audienceId, long afterProfileId, int limit, CancellationToken ct)
    {
        // Membership lives in the profile documents (read from their head, without decoding the rest), so members
        // are found by walking the account's profiles in id order: a page of a small audience reads more rows.
        var members = new List<long>(limit);
        await using var c = await db.OpenAsync(ct);
        // Documents name the audience by its number, or by its id if they were written before it had one.
        var number = await c.ExecuteScalarAsync<long?>("SELECT number FROM audience_numbers WHERE audience_id = @audienceId", new { audienceId });
        var token = number is { } n ? AudienceTokens.Of((int)n) : audienceId;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, doc FROM profiles WHERE id > $after AND account_id = $a ORDER BY id LIMIT 2000";
        var after = cmd.Parameters.AddWithValue("$after", afterProfileId);
        cmd.Parameters.AddWithValue("$a", accountId);
        while (members.Count < limit)
        {
            var read = 0;
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    read++;
                    var id = r.GetInt64(0);
                    after.Value = id;
                    if (members.Count < limit && ProfileDocumentBinary.ReadAudiences((byte[])r.GetValue(1)) is var held && (held.Contains(token) || held.Contains(audienceId))) members.Add(id);
                    if (members.Count == limit) break;
                }
            }
            if (read < 2000) break;
        }
        return members;
    }

    public async Task<IReadOnlyList<MembershipChange>> HistoryAsync(string accountId, string audienceId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var numbering = await NumberingAsync(c, accountId);
        var number = await c.ExecuteScalarAsync<long?>("SELECT number FROM audience_numbers WHERE audience_id = @audienceId", new { audienceId });
        // Entries list every audience a profile's change touched, by number (or by id before numbering): the
        // patterns narrow them to this audience's, with the commas around each token so that 1 does not find 12.
        var token = number is { } n ? AudienceTokens.Of((int)n) : audienceId;
        var rows = await c.QueryAsync<ChangeRow>(
            $"""
            SELECT {ChangeColumns} FROM membership_changes
            WHERE account_id = @accountId AND (instr(',' || changes || ',', @entered) > 0 OR instr(',' || changes || ',', @left) > 0 OR changes LIKE @legacy)
            ORDER BY at DESC, partition, seq DESC LIMIT @limit
            """, new { accountId, entered = ",+" + token + ",", left = ",-" + token + ",", legacy = "%" + audienceId + "%", limit });
        return [.. rows.SelectMany(r => r.ToChanges(numbering)).Where(c => c.AudienceId == audienceId).Take(limit)];
    }

    public async Task<long> FeedHeadAsync(int partition, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM membership_changes WHERE partition = @partition", new { partition });
    }

    public async Task<IReadOnlyList<MembershipChange>> ReadFeedAsync(int partition, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ChangeRow>(
            $"SELECT {ChangeColumns} FROM membership_changes WHERE partition = @partition AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { partition, afterSeq, limit });
        // Entries name audiences by number: readers see ids, as the API does.
        var numberings = new Dictionary<string, AudienceNumbering>(StringComparer.Ordinal);
        var changes = new List<MembershipChange>();
        foreach (var row in rows)
        {
            if (!numberings.TryGetValue(row.AccountId, out var numbering)) numberings[row.AccountId] = numbering = await NumberingAsync(c, row.AccountId);
            changes.AddRange(row.ToChanges(numbering));
        }
        return changes;
    }

    private static async Task<AudienceNumbering> NumberingAsync(System.Data.Common.DbConnection c, string accountId)
    {
        var rows = await c.QueryAsync<(long Number, string AudienceId)>(
            "SELECT number, audience_id FROM audience_numbers WHERE account_id = @accountId", new { accountId });
        return new AudienceNumbering(rows.ToDictionary(r => (int)r.Number, r => r.AudienceId));
    }

    private const string ChangeColumns =
        "seq AS Seq, partition AS Partition, account_id AS AccountId, profile_id AS ProfileId, changes AS Changes, at AS At, position AS Position";

    private sealed record ChangeRow(long Seq, long Partition, string AccountId, long ProfileId, string Changes, long At, long Position)
    {
        /// <summary>The entry's changes, each naming its audience by id (a touch by none).</summary>
        public IEnumerable<MembershipChange> ToChanges(AudienceNumbering numbering) =>
            MembershipDelta.Parse(Changes).Select(c => new MembershipChange(
                Seq, (int)Partition, AccountId, ProfileId, c.AudienceId.Length == 0 ? "" : numbering.IdOf(c.AudienceId) ?? c.AudienceId, c.Entered, At, Position));
    }

    private static object Parameters(Audience a) => new
    {
        a.Id, a.AccountId, a.Slug, a.Name, a.Description, a.SegmentQl, IsDefault = a.IsDefault ? 1 : 0,
        Created = UnixMs.From(a.Created), Updated = UnixMs.From(a.Updated),
    };
}
