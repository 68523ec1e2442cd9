using System.Text;
using Microsoft.Data.Sqlite;
using Sluice.Processing;

namespace Sluice.Storage.Sqlite;

/// <summary>
/// Takes identity values out of a partition's journal: every row that holds one is rewritten without its entries
/// (or deleted when nothing else is left in it). The codec writes values as plain UTF-8, so a row that does not
/// contain a value's bytes cannot hold an entry for it, and only the rows that do are decoded. With secure_delete on,
/// the old row's bytes are zeroed where they lay.
/// </summary>
internal static class IdentityJournalErasure
{
    public static async Task EraseAsync(SqliteConnection c, SqliteTransaction tx, int partition, IReadOnlyCollection<IdentityEntry> erased, CancellationToken ct)
    {
        if (erased.Count == 0) return;
        var keys = erased.Select(e => (e.AccountId, e.Name, e.Value)).ToHashSet();
        var needles = erased.Select(e => Encoding.UTF8.GetBytes(e.Value)).ToList();

        var rewrites = new List<(long Seq, List<IdentityEntry> Kept)>();
        await using (var read = c.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT seq, entries FROM identity_journal WHERE partition = $p ORDER BY seq";
            read.Parameters.AddWithValue("$p", partition);
            var shared = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var blob = (byte[])r.GetValue(1);
                if (!needles.Any(n => blob.AsSpan().IndexOf(n) >= 0)) continue;
                var kept = new List<IdentityEntry>();
                var dropped = false;
                IdentityJournalCodec.Decode(blob, shared, e =>
                {
                    if (keys.Contains((e.AccountId, e.Name, e.Value))) dropped = true;
                    else kept.Add(e);
                });
                if (dropped) rewrites.Add((r.GetInt64(0), kept));
            }
        }

        await using var update = c.CreateCommand();
        update.Transaction = tx;
        update.CommandText = "UPDATE identity_journal SET entries = $e WHERE seq = $seq";
        var entries = update.Parameters.Add("$e", SqliteType.Blob);
        var updateSeq = update.Parameters.Add("$seq", SqliteType.Integer);
        await using var delete = c.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM identity_journal WHERE seq = $seq";
        var deleteSeq = delete.Parameters.Add("$seq", SqliteType.Integer);
        foreach (var (seq, kept) in rewrites)
        {
            if (kept.Count == 0)
            {
                deleteSeq.Value = seq;
                await delete.ExecuteNonQueryAsync(ct);
            }
            else
            {
                entries.Value = IdentityJournalCodec.Encode(kept);
                updateSeq.Value = seq;
                await update.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
