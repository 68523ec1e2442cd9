using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Sluice.Auth;

namespace Sluice.Tests;

/// <summary>
/// A token the server accepted moments ago skips ASP.NET Core's authentication and authorization middlewares
/// (<see cref="KnownTokenShortcut"/>); these requests come after such an acceptance and get the answers the full
/// pipeline gives.
/// </summary>
public sealed class KnownTokenShortcutTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer S => fixture.Server;

    private const string Event = "{\"a\":1}";

    [Fact]
    public async Task An_accepted_token_is_refused_on_another_accounts_collect_route_with_the_same_403()
    {
        var token = await AcceptedTokenAsync("data_manager");
        var (other, _) = await S.OtherAccountAsync();

        var message = await (await S.Http.PostRawAsync($"/c/{other}/app?key={token}&dryrun=true", Event)).AssertErrorAsync(HttpStatusCode.Forbidden);

        Assert.Equal($"this access token does not belong to account {other.ToString(CultureInfo.InvariantCulture)}", message);
    }

    [Fact]
    public async Task An_accepted_observer_token_is_refused_on_collect_for_lack_of_the_role()
    {
        var token = await S.TokenAsync("observer");
        await (await S.Http.GetAsync($"/api/schema?key={token}")).AssertOkAsync();

        var message = await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?key={token}&dryrun=true", Event)).AssertErrorAsync(HttpStatusCode.Forbidden);

        Assert.Equal("this access token lacks the data_manager role", message);
    }

    [Fact]
    public async Task An_accepted_token_written_with_percent_escapes_or_in_the_header_is_still_accepted()
    {
        var token = await AcceptedTokenAsync("data_manager");
        var escaped = string.Concat(token.Select(c => $"%{(int)c:X2}"));

        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?%6Bey={escaped}&dryrun=true", Event)).AssertOkAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/c/{S.AccountNumber}/app?key=&dryrun=true") { Content = new StringContent(Event) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await S.Http.SendAsync(request)).AssertOkAsync();
    }

    [Fact]
    public async Task An_accepted_token_given_twice_in_the_query_is_refused_as_before()
    {
        var token = await AcceptedTokenAsync("data_manager");

        // The query's values of one name are read together, which is no token.
        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?key={token}&key={token}&dryrun=true", Event)).AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Collect_and_token_routes_are_marked_for_the_shortcut_and_the_consoles_form_posts_are_not()
    {
        var endpoints = S.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        bool Marked(string pattern, string method) => endpoints.Single(e =>
            e.RoutePattern.RawText == pattern && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(method) == true)
            .Metadata.GetMetadata<TokenShortcutMetadata>() is not null;

        Assert.True(Marked("/c/{aid}/{stream}", "POST"));
        Assert.True(Marked("/collect/json/{stream}", "POST"));
        Assert.False(Marked("/signout", "POST"));
    }

    /// <summary>A new token with <paramref name="role"/>, accepted once by a collect request (so the server knows it).</summary>
    private async Task<string> AcceptedTokenAsync(string role)
    {
        var token = await S.TokenAsync(role);
        await (await S.Http.PostRawAsync($"/c/{S.AccountNumber}/app?key={token}&dryrun=true", Event)).AssertOkAsync();
        return token;
    }
}
