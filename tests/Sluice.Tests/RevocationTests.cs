using System.Net;
using Dapper;
using Sluice.Auth;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>A revoked token is refused from the next request on, wherever it was revoked.</summary>
public sealed class RevocationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task A_token_revoked_with_the_command_line_is_refused_by_the_running_server_at_the_next_request()
    {
        var (token, id) = await NewTokenAsync();
        await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", "{\"a\":1}")).AssertOkAsync();

        var (exit, stdout, stderr) = await SluiceProcess.RunAsync("token", "revoke", id, "--data", S.DataDir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("next request", stdout, StringComparison.Ordinal);

        await (await S.Http.PostRawAsync($"/collect/json/app?key={token}", "{\"a\":1}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_revoked_in_the_store_by_another_node_is_refused_at_the_next_request()
    {
        var (token, id) = await NewTokenAsync();
        await (await S.Http.GetAsync($"/api/auth?key={token}")).AssertOkAsync();

        // What another node's revocation leaves behind: the store changed, this node's cache was not told.
        Assert.True(await S.Services.GetRequiredService<ITokenStore>().RevokeAsync(S.Account.Id, id, DateTimeOffset.UtcNow, CancellationToken.None));

        await (await S.Http.GetAsync($"/api/auth?key={token}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_revoked_through_another_store_on_the_same_data_folder_is_refused_at_the_next_request()
    {
        var (token, id) = await NewTokenAsync();
        await (await S.Http.GetAsync($"/api/auth?key={token}")).AssertOkAsync();

        // A store of its own, as another process on the same data folder has: its own mapping of the revocation
        // signal, its own connections, nothing shared with the server's objects.
        using (var other = new SqliteTokenStore(SqliteDatabase.ForMain(S.DataDir)))
        {
            Assert.True(await other.RevokeAsync(S.Account.Id, id, DateTimeOffset.UtcNow, CancellationToken.None));
        }

        await (await S.Http.GetAsync($"/api/auth?key={token}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_revoked_by_hand_in_the_database_file_is_refused_once_the_counter_is_read_again()
    {
        var (token, id) = await NewTokenAsync();
        await (await S.Http.GetAsync($"/api/auth?key={token}")).AssertOkAsync();

        // SQL run on the file without Sluice raises no signal; the counter its trigger moves is read again at least
        // once per backstop period.
        var db = SqliteDatabase.ForMain(S.DataDir);
        await using (var c = await db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1, await c.ExecuteAsync("UPDATE access_tokens SET revoked_at = 1 WHERE id = @id", new { id }));
        }
        var revokedAt = System.Diagnostics.Stopwatch.GetTimestamp();

        HttpStatusCode status;
        do
        {
            status = (await S.Http.GetAsync($"/api/auth?key={token}")).StatusCode;
        }
        while (status == HttpStatusCode.OK && System.Diagnostics.Stopwatch.GetElapsedTime(revokedAt) < TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Other_tokens_keep_working_after_a_revocation()
    {
        var (kept, _) = await NewTokenAsync();
        var (revoked, id) = await NewTokenAsync();
        await (await S.Http.GetAsync($"/api/auth?key={kept}")).AssertOkAsync();

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await S.Http.DeleteAsync($"/api/auth/{id}?key={kept}")).StatusCode);

        await (await S.Http.GetAsync($"/api/auth?key={revoked}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await S.Http.GetAsync($"/api/auth?key={kept}")).AssertOkAsync();
    }

    private async Task<(string Secret, string Id)> NewTokenAsync()
    {
        var created = await S.Services.GetRequiredService<TokenService>()
            .CreateAsync(S.Account.Id, "revocable", null, [Role.Admin], null, CancellationToken.None);
        return (created.Secret, created.Token.Id);
    }
}
