using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sluice.Auth;
using Sluice.Storage.Sqlite;

namespace Sluice.Tests;

/// <summary>
/// Failed authentications are limited per client address. Each test talks from its own loopback address
/// (127.0.0.x), so that each starts with a full allowance on the shared server.
/// </summary>
public sealed class FailedAuthThrottleTests(FailedAuthThrottleTests.ThrottledServer fixture) : IClassFixture<FailedAuthThrottleTests.ThrottledServer>
{
    /// <summary>3 failures a minute, on a clock the tests move; token lookups are counted.</summary>
    public sealed class ThrottledServer : IAsyncLifetime
    {
        public FakeTimeProvider Clock { get; } = new();

        internal CountingTokenStore Store { get; private set; } = null!;

        public TestServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(b =>
        {
            b.Services.AddSingleton(new FailedAuthThrottle(Options.Create(new AuthOptions { FailedAttemptsPerMinute = 3 }), Clock));
            b.Services.AddSingleton<ITokenStore>(sp => Store = new CountingTokenStore(ActivatorUtilities.CreateInstance<SqliteTokenStore>(sp)));
        });

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private TestServer S => fixture.Server;

    private static string WrongToken() => TokenSecret.New();

    [Fact]
    public async Task A_client_past_its_failed_attempts_gets_429_with_Retry_After_and_no_token_lookup()
    {
        using var http = From(2);
        for (var i = 0; i < 3; i++) await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        var lookups = fixture.Store.Lookups;

        var refused = await http.GetAsync($"/api/auth?key={WrongToken()}");

        var message = await refused.AssertErrorAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("failed authentications", message, StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(lookups, fixture.Store.Lookups);
    }

    [Fact]
    public async Task A_throttled_client_still_gets_through_with_a_token_it_used_before()
    {
        using var http = From(3);
        await (await http.GetAsync($"/api/auth?key={S.AdminToken}")).AssertOkAsync();
        for (var i = 0; i < 4; i++) await http.GetAsync($"/api/auth?key={WrongToken()}");
        await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.TooManyRequests);

        await (await http.GetAsync($"/api/auth?key={S.AdminToken}")).AssertOkAsync();
    }

    [Fact]
    public async Task Successful_requests_take_no_permits()
    {
        using var http = From(4);
        for (var i = 0; i < 10; i++) await (await http.GetAsync($"/api/auth?key={S.AdminToken}")).AssertOkAsync();

        for (var i = 0; i < 3; i++) await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task One_client_being_throttled_leaves_another_address_alone()
    {
        using var noisy = From(5);
        using var other = From(6);
        for (var i = 0; i < 4; i++) await noisy.GetAsync($"/api/auth?key={WrongToken()}");
        await (await noisy.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.TooManyRequests);

        await (await other.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Permits_come_back_when_the_minute_is_over()
    {
        using var http = From(7);
        for (var i = 0; i < 4; i++) await http.GetAsync($"/api/auth?key={WrongToken()}");
        await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.TooManyRequests);

        fixture.Clock.Advance(FailedAuthThrottle.Window);

        for (var i = 0; i < 3; i++) await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await http.GetAsync($"/api/auth?key={WrongToken()}")).AssertErrorAsync(HttpStatusCode.TooManyRequests);
    }

    /// <summary>A client whose connections come from 127.0.0.<paramref name="host"/>.</summary>
    private HttpClient From(int host)
    {
        var source = new IPAddress([127, 0, 0, (byte)host]);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = S.BaseAddress };
    }
}
