using Sluice.Audiences;
using Sluice.Profiles;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// Profile documents and the membership feed name audiences by their number in the account; everything read back
/// (members, sizes, history, the feed, a profile's segments) names them by id, including what was written by id
/// before audiences were numbered.
/// </summary>
public sealed class AudienceNumberTests
{
    private static (string, long, string) Webhook(string json) => ("braze_users", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), json);

    private static async Task<byte[]> StoredDocAsync(ProcessingPipeline pipeline, long id)
    {
        await using var c = await pipeline.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc FROM profiles WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<Audience> AudienceAsync(ProcessingPipeline pipeline, string slug) =>
        (await pipeline.Services.GetRequiredService<IAudienceStore>().FindAsync(pipeline.Account.Id, slug, CancellationToken.None))!;

    [Fact]
    public async Task Documents_name_audiences_by_number_and_the_feed_members_sizes_and_history_read_back_ids()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"a@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        var store = pipeline.Services.GetRequiredService<IAudienceStore>();
        var audiences = await store.ListAsync(pipeline.Account.Id, CancellationToken.None);
        var known = await AudienceAsync(pipeline, "known");

        Assert.Equal(audiences.Count, audiences.Select(a => a.Number).Where(n => n > 0).Distinct().Count());
        string[] expected = [.. new[] { "all", "known", "new" }.Select(s => audiences.Single(a => a.Slug == s).Number.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ProfileDocumentBinary.ReadAudiences(await StoredDocAsync(pipeline, 1)));

        var feed = await store.ReadFeedAsync(0, 0, 100, CancellationToken.None);
        Assert.Equal(["all", "known", "new"], feed.Select(c => audiences.Single(a => a.Id == c.AudienceId).Slug).Order());
        Assert.Equal([1L], await store.MembersAsync(pipeline.Account.Id, known.Id, 0, 10, CancellationToken.None));
        Assert.Equal(1, await store.SizeAsync(pipeline.Account.Id, known.Id, CancellationToken.None));
        var history = await store.HistoryAsync(pipeline.Account.Id, known.Id, 10, CancellationToken.None);
        Assert.Equal([(1L, known.Id, true)], history.Select(c => (c.ProfileId, c.AudienceId, c.Entered)));
    }

    [Fact]
    public async Task A_deleted_audience_keeps_its_number_so_a_later_exit_reads_back_its_id_and_a_new_audience_gets_another()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var store = pipeline.Services.GetRequiredService<IAudienceStore>();
        var registry = pipeline.Services.GetRequiredService<AudienceRegistry>();
        await registry.ForAccountAsync(pipeline.Account.Id, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var oslo = new Audience(AudienceIds.New(), pipeline.Account.Id, "oslo", "Oslo", null, "FILTER city = \"Oslo\"", false, now, now);
        Assert.True(await store.CreateAsync(oslo, CancellationToken.None));
        registry.Invalidate(pipeline.Account.Id);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","city":"Oslo"}""")]);
        await pipeline.ProcessAllAsync();
        var number = (await AudienceAsync(pipeline, "oslo")).Number;

        Assert.True(await store.DeleteAsync(pipeline.Account.Id, oslo.Id, CancellationToken.None));
        registry.Invalidate(pipeline.Account.Id);
        var rome = new Audience(AudienceIds.New(), pipeline.Account.Id, "rome", "Rome", null, "FILTER city = \"Rome\"", false, now, now);
        Assert.True(await store.CreateAsync(rome, CancellationToken.None));
        registry.Invalidate(pipeline.Account.Id);
        var before = (await store.ReadFeedAsync(0, 0, 100, CancellationToken.None)).Count;
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","first_name":"Ann"}""")]);
        await pipeline.ProcessAllAsync();

        Assert.True((await AudienceAsync(pipeline, "rome")).Number > number);
        var after = (await store.ReadFeedAsync(0, 0, 100, CancellationToken.None)).Skip(before);
        Assert.Equal([(oslo.Id, false)], after.Select(c => (c.AudienceId, c.Entered)));
    }

    [Fact]
    public async Task A_document_written_before_numbering_is_read_by_id_and_renamed_without_a_change_at_its_next_evaluation()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","email":"a@example.com"}""")]);
        await pipeline.ProcessAllAsync();
        var store = pipeline.Services.GetRequiredService<IAudienceStore>();
        var audiences = await store.ListAsync(pipeline.Account.Id, CancellationToken.None);
        var known = await AudienceAsync(pipeline, "known");
        // Rewrite the document as it was stored before numbering: memberships by id.
        var doc = ProfileDocument.Deserialize(await StoredDocAsync(pipeline, 1));
        foreach (var token in doc.Audiences.ToList())
        {
            doc.Audiences.Remove(token);
            doc.Audiences.Add(audiences.Single(a => a.Token == token).Id);
        }
        await using (var c = await pipeline.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None))
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE profiles SET doc = $d WHERE id = 1";
            cmd.Parameters.AddWithValue("$d", doc.Serialize());
            await cmd.ExecuteNonQueryAsync();
        }
        pipeline.State.Invalidate();
        var feed = (await store.ReadFeedAsync(0, 0, 100, CancellationToken.None)).Count;

        Assert.Equal([1L], await store.MembersAsync(pipeline.Account.Id, known.Id, 0, 10, CancellationToken.None));
        var segments = await ProfileSegments.ForAccountAsync(store, pipeline.Account.Id, CancellationToken.None);
        Assert.Equal(["all", "known", "new"], segments(doc).Select(n => n!.GetValue<string>()));

        await pipeline.AppendAsync([Webhook("""{"braze_id":"b1","first_name":"Ann"}""")]);
        await pipeline.ProcessAllAsync();

        Assert.Equal(feed, (await store.ReadFeedAsync(0, 0, 100, CancellationToken.None)).Count);
        Assert.Equal(
            new[] { "all", "known", "new" }.Select(s => audiences.Single(a => a.Slug == s).Token).Order(StringComparer.Ordinal),
            ProfileDocumentBinary.ReadAudiences(await StoredDocAsync(pipeline, 1)));
        Assert.Equal(1, await store.SizeAsync(pipeline.Account.Id, known.Id, CancellationToken.None));
    }

    [Fact]
    public void A_token_reads_back_as_written_and_a_small_number_as_the_shared_string()
    {
        string[] tokens = ["0", "7", "12", "1023", "1024", "12345", "007", "7a", AudienceIds.New()];
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var t in tokens) w.Write(t);
        }
        buffer.Position = 0;
        using var r = new BinaryReader(buffer);

        var read = tokens.Select(_ => AudienceTokens.Read(r)).ToList();

        Assert.Equal(tokens, read);
        Assert.Same(AudienceTokens.Of(12), read[2]);
    }
}
