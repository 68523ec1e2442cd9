using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sluice.Accounts;
using Sluice.Audiences;
using Sluice.Auth;
using Sluice.EventLog;
using Sluice.Hosting;
using Sluice.Processing;

namespace Sluice.Tests.Infrastructure;

/// <summary>
/// A real Sluice node on Kestrel (127.0.0.1, a free port) over a temporary data folder, with its first account
/// and admin token, and helpers to await processing instead of sleeping.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private bool _stopped;

    private TestServer(string? dataDir) => DataDir = dataDir ?? Directory.CreateTempSubdirectory("sluice-test-").FullName;

    public string DataDir { get; }

    public LogSink Logs { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    internal Account Account { get; private set; } = null!;

    public long AccountNumber => Account.Number;

    public string AdminToken { get; private set; } = "";

    internal IServiceProvider Services => _app.Services;

    /// <summary>Starts a node; with <paramref name="dataDir"/> on an existing data folder (a restart), otherwise on a new one.</summary>
    public static async Task<TestServer> StartAsync(Action<WebApplicationBuilder>? configure = null, string? dataDir = null)
    {
        var server = new TestServer(dataDir);
        await server.InitAsync(configure);
        return server;
    }

    private async Task InitAsync(Action<WebApplicationBuilder>? configure)
    {
        _app = await SluiceApp.BuildAsync(new SluiceAppOptions
        {
            DataDir = DataDir,
            Urls = "http://127.0.0.1:0",
            Configure = b =>
            {
                b.Logging.AddProvider(Logs);
                // Every request's log line, not only errors: the tests check that none of them leaks a secret.
                b.Logging.AddFilter("Sluice.Hosting.RequestLoggingMiddleware", LogLevel.Debug);
                configure?.Invoke(b);
            },
        }, CancellationToken.None);
        var (account, admin) = await AccountBootstrap.EnsureAccountAsync(
            Services.GetRequiredService<IAccountStore>(), Services.GetRequiredService<TokenService>(), CancellationToken.None);
        Account = account;
        // On a restart the first-start token is not shown again: make a new admin token.
        AdminToken = admin?.Secret ?? (await Services.GetRequiredService<TokenService>().CreateAsync(
            account.Id, "admin", "test restart", [Role.Admin], null, CancellationToken.None)).Secret;
        await _app.StartAsync();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>A token of the first account with the given roles (created through the service, as the CLI does).</summary>
    public async Task<string> TokenAsync(params string[] roles)
    {
        Roles.TryParseAll(roles, out _, out var parsed);
        var created = await Services.GetRequiredService<TokenService>().CreateAsync(Account.Id, "test", null, parsed, null, CancellationToken.None);
        return created.Secret;
    }

    /// <summary>A second tenant with an admin token, to prove isolation.</summary>
    public async Task<(long Number, string Token)> OtherAccountAsync()
    {
        var other = await Services.GetRequiredService<IAccountStore>().CreateAsync("Other", CancellationToken.None);
        var token = await Services.GetRequiredService<TokenService>().CreateAsync(other.Id, "admin", null, [Role.Admin], null, CancellationToken.None);
        return (other.Number, token.Secret);
    }

    /// <summary>Completes once every event already in this account's partition of the log is applied to profiles.</summary>
    public async Task WaitForProcessingAsync()
    {
        var partition = Services.GetRequiredService<Partitioner>().For(Account.Id);
        var head = await Services.GetRequiredService<IEventLog>().HeadAsync(partition, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Services.GetRequiredService<ProcessingProgress>().WaitForAsync(partition, head, timeout.Token);
    }

    /// <summary>
    /// Completes once a background evaluation of the account's audiences requested at or after <paramref name="since"/>
    /// (an audience created, changed or deleted) has finished, without polling: the progress signals each change.
    /// </summary>
    public async Task WaitForAudienceEvaluationAsync(DateTimeOffset since)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Services.GetRequiredService<AudienceEvaluationProgress>().WaitAsync(
            Account.Id, s => s.State != "running" && s.Started >= since, timeout.Token);
    }

    public Task<long> StoredEventCountAsync() =>
        Services.GetRequiredService<IEventLog>().CountAsync(Account.Id, CancellationToken.None);

    public async Task<JsonObject> GetProfileAsync(string field, string value, string token)
    {
        var response = await Http.GetAsync($"/api/entity/user/{field}/{Uri.EscapeDataString(value)}?key={token}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A graceful stop, as a service manager's SIGTERM gives, that leaves the data folder in place to inspect.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Http?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may linger for a moment; the temp folder is cleaned by the OS eventually.
        }
    }
}
