using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Tests;

/// <summary>
/// A privacy delete erases the person from every file Sluice writes, not only from what its API shows: the log on
/// every stream, the profile, the identity journal, free pages, write-ahead logs and request logs.
/// </summary>
public sealed class PrivacyDeleteTests
{
    [Fact]
    public async Task After_a_delete_and_a_graceful_stop_no_file_in_the_data_folder_holds_any_of_the_persons_values()
    {
        var server = await TestServer.StartAsync();
        await using var _ = server;
        var token = await server.TokenAsync("data_manager");
        var gone = Person.Create("gone");
        var kept = Person.Create("kept");

        foreach (var p in new[] { gone, kept })
        {
            // The mapped stream, twice: the second event joins the profile through the Braze id alone.
            await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/braze_users?key={token}", Seed.BrazeUser(p.Email, p.BrazeId, p.FirstName))).AssertOkAsync();
            await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/braze_users?key={token}",
                new JsonObject { ["braze_id"] = p.BrazeId, ["last_name"] = p.LastName })).AssertOkAsync();
            // A stream without a mapping: the address nested, in other case, with a mailto: prefix.
            await (await server.Http.PostJsonAsync($"/c/{server.AccountNumber}/app_clicks?key={token}", new JsonObject
            {
                ["user"] = new JsonObject { ["contact"] = " mailto:" + p.Email.ToUpperInvariant() },
                ["note"] = p.Note,
            })).AssertOkAsync();
            // A pixel on an unmapped stream: the query string is the event, and it goes through the request log.
            await (await server.Http.GetAsync($"/c/{server.AccountNumber}/pixel_views?key={token}&email={Uri.EscapeDataString(p.Email)}&campaign={p.Campaign}")).AssertOkAsync();
        }
        await server.WaitForProcessingAsync();
        // Looked up by address, so that the entity path goes through the request log.
        await server.GetProfileAsync("email", gone.Email, token);

        var deleted = await (await server.Http.DeleteAsync($"/api/entity/user/email/{Uri.EscapeDataString(gone.Email)}?key={token}")).AssertOkAsync();
        Assert.Equal(4, (int)deleted["data"]!["events_deleted"]!);
        await (await server.Http.GetAsync($"/api/entity/user/braze_id/{gone.BrazeId}?key={token}")).AssertErrorAsync(HttpStatusCode.NotFound);
        await server.GetProfileAsync("email", kept.Email, token);

        await server.StopAsync();
        File.WriteAllLines(Path.Combine(server.DataDir, "sluice.log"), server.Logs.Lines);

        var files = Directory.GetFiles(server.DataDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllBytes(f));
        Assert.Contains("events.db", files.Keys);
        Assert.Contains("sluice.db", files.Keys);
        Assert.Contains(files["sluice.log"], b => b == (byte)'\n');
        foreach (var value in gone.Values)
        {
            var holders = files.Where(f => Holds(f.Value, value)).Select(f => f.Key).ToList();
            Assert.True(holders.Count == 0, $"\"{value}\" is still in {string.Join(", ", holders)}");
        }
        foreach (var value in kept.Values)
        {
            Assert.True(files.Values.Any(bytes => Holds(bytes, value)), $"\"{value}\" of the person not deleted is in no file");
        }
    }

    [Fact]
    public async Task Events_that_cannot_be_parsed_or_mapped_are_judged_by_their_bytes_and_never_fail_the_delete()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        await pipeline.AppendAsync([
            ("braze_users", 1, """{"email":"gone@example.com","braze_id":"b-gone"}"""),
            ("braze_users", 2, """{"email":"kept@example.com","braze_id":"b-kept"}"""),
        ]);
        await pipeline.ProcessAllAsync();
        // Appended after processing: an escaped lone surrogate stops the mapping itself, and these are what is
        // being proved here, not processing.
        await pipeline.AppendAsync([
            // A mapped stream whose mapping throws on a lone surrogate.
            ("braze_users", 3, """{"braze_id":"b-gone","first_name":"\uD800"}"""),
            // An unmapped stream: valid JSON, but one of its strings is no .NET string.
            ("app", 4, """{"who":"GONE@example.com","x":"\uDC00"}"""),
            // Not JSON at all.
            ("app", 5, """email=gone@example.com&{"""),
            // The same damage, someone else's: stays.
            ("braze_users", 6, """{"braze_id":"b-kept","first_name":"\uD800"}"""),
            ("app", 7, """not json, kept@example.com"""),
        ]);
        var before = await pipeline.Services.GetRequiredService<EventLog.IEventLog>().CountAsync(pipeline.Account.Id, CancellationToken.None);
        var index = pipeline.State.Index;
        Assert.True(index.TryGet(pipeline.Account.Id, "email", "gone@example.com", out var row));

        var (deleted, events) = await pipeline.Services.GetRequiredService<ProfileDeletion>()
            .DeleteAsync(pipeline.State, pipeline.Account.Id, row.ProfileId, CancellationToken.None);

        Assert.True(deleted);
        Assert.Equal(4, events);
        Assert.Equal(before - 4, await pipeline.Services.GetRequiredService<EventLog.IEventLog>().CountAsync(pipeline.Account.Id, CancellationToken.None));
    }

    /// <summary>ASCII case ignored (a client may send an address in any case), in UTF-8 and in UTF-16.</summary>
    private static bool Holds(byte[] file, string value)
    {
        var lowered = Lower(file);
        return lowered.AsSpan().IndexOf(Lower(Encoding.UTF8.GetBytes(value))) >= 0 ||
               lowered.AsSpan().IndexOf(Lower(Encoding.Unicode.GetBytes(value))) >= 0;
    }

    private static byte[] Lower(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is >= (byte)'A' and <= (byte)'Z') copy[i] += 32;
        }
        return copy;
    }

    /// <summary>Values no other test or fixture could produce, so that finding one in a file means this person.</summary>
    private sealed record Person(string Email, string BrazeId, string FirstName, string LastName, string Note, string Campaign)
    {
        public static Person Create(string tag)
        {
            var n = Guid.NewGuid().ToString("N");
            return new Person($"{tag}.{n}@email.com", $"bz{n}", $"First{tag}{n[..12]}", $"Last{tag}{n[..12]}", $"note-{tag}-{n}", $"cmp{tag}{n[..12]}");
        }

        public string[] Values => [Email, BrazeId, FirstName, LastName, Note, Campaign];
    }
}
