using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Sluice.Auth;
using Sluice.Collect;

namespace Sluice.Tests;

/// <summary>Every kind of bad collect request gets a clear JSON error and stores nothing.</summary>
public sealed class CollectBadInputTests(CollectBadInputTests.SmallLimits fixture) : IClassFixture<CollectBadInputTests.SmallLimits>
{
    /// <summary>A server with small limits, so that the limits can be crossed cheaply.</summary>
    public sealed class SmallLimits : IAsyncLifetime
    {
        public TestServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(b => b.Services.Configure<CollectOptions>(o =>
        {
            o.MaxBodyBytes = 4096;
            o.MaxEventsPerRequest = 10;
        }));

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private TestServer S => fixture.Server;

    private async Task<string> RefusedAsync(Func<string, Task<HttpResponseMessage>> send, HttpStatusCode status)
    {
        var token = await S.TokenAsync("data_manager");
        var before = await S.StoredEventCountAsync();
        var message = await (await send(token)).AssertErrorAsync(status);
        Assert.Equal(before, await S.StoredEventCountAsync());
        return message;
    }

    private string Url(string token, string stream = "app") => $"/c/{S.AccountNumber}/{stream}?key={token}";

    [Fact]
    public async Task Malformed_json_names_the_line_and_position()
    {
        var message = await RefusedAsync(t => S.Http.PostRawAsync(Url(t), "{\"a\":1}\n{\"b\": tru}\n"), HttpStatusCode.BadRequest);
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.Contains("position", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    public async Task Empty_body_is_refused(string body) =>
        Assert.Contains("empty", await RefusedAsync(t => S.Http.PostRawAsync(Url(t), body), HttpStatusCode.BadRequest), StringComparison.Ordinal);

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var big = "{\"pad\":\"" + new string('x', 5000) + "\"}";
        var message = await RefusedAsync(t => S.Http.PostRawAsync(Url(t), big), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        var big = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 5000) + "\"}");
        await RefusedAsync(async t =>
        {
            using var content = new StreamContent(new MemoryStream(big));
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(t)) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            return await S.Http.SendAsync(request);
        }, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task More_events_than_the_limit_is_413()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"{{\"i\":{i}}}")) + "]";
        Assert.Contains("more than 10 events", await RefusedAsync(t => S.Http.PostRawAsync(Url(t), body), HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Json_scalar_is_refused(string body) =>
        Assert.Contains("JSON object", await RefusedAsync(t => S.Http.PostRawAsync(Url(t), body), HttpStatusCode.BadRequest), StringComparison.Ordinal);

    [Fact]
    public async Task Array_with_non_objects_is_refused_whole_and_names_the_index()
    {
        var message = await RefusedAsync(t => S.Http.PostRawAsync(Url(t), """[{"a":1},[1,2],{"a":2}]"""), HttpStatusCode.BadRequest);
        Assert.Contains("event 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unparseable_timestamp_field_is_refused_with_the_event_index()
    {
        var message = await RefusedAsync(t => S.Http.PostRawAsync(Url(t) + "&timestamp_field=ts", """[{"ts":"2026-01-01"},{"ts":"soon"}]"""), HttpStatusCode.BadRequest);
        Assert.Contains("event 1", message, StringComparison.Ordinal);
        Assert.Contains("ts", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("image/png")]
    public async Task Wrong_content_type_is_415(string type)
    {
        var message = await RefusedAsync(t =>
        {
            var content = new ByteArrayContent("{\"a\":1}"u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return S.Http.PostAsync(Url(t), content);
        }, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("content type", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("semi;colon")]
    [InlineData("a+b")]
    [InlineData("über")]
    [InlineData("-lead")]
    public async Task Stream_name_with_illegal_characters_is_refused(string stream) =>
        await RefusedAsync(t => S.Http.PostRawAsync($"/c/{S.AccountNumber}/{Uri.EscapeDataString(stream)}?key={t}", "{\"a\":1}"), HttpStatusCode.BadRequest);

    [Fact]
    public async Task Missing_token_is_401() =>
        Assert.Contains("missing access token", await RefusedAsync(_ => S.Http.PostRawAsync($"/c/{S.AccountNumber}/app", "{\"a\":1}"), HttpStatusCode.Unauthorized), StringComparison.Ordinal);

    [Fact]
    public async Task Unknown_token_is_401() =>
        await RefusedAsync(_ => S.Http.PostRawAsync(Url("slc_" + new string('0', 64)), "{\"a\":1}"), HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Expired_token_is_401()
    {
        var store = S.Services.GetRequiredService<ITokenStore>();
        var secret = TokenSecret.New();
        var past = DateTimeOffset.UtcNow.AddDays(-10);
        await store.InsertAsync(new AccessToken("expired-" + Guid.NewGuid().ToString("N"), S.Account.Id, "old", null, [Role.DataManager], past, past.AddDays(7), null, null),
            TokenSecret.Hash(secret), CancellationToken.None);
        await RefusedAsync(_ => S.Http.PostRawAsync(Url(secret), "{\"a\":1}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoked_token_is_401()
    {
        var token = await S.TokenAsync("data_manager");
        (await S.Http.PostRawAsync(Url(token), "{\"a\":1}")).EnsureSuccessStatusCode();
        var id = (await S.Services.GetRequiredService<TokenService>().ListAsync(S.Account.Id, CancellationToken.None)).Last().Id;
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await S.Http.DeleteAsync($"/api/auth/{id}?key={S.AdminToken}")).StatusCode);
        await RefusedAsync(_ => S.Http.PostRawAsync(Url(token), "{\"a\":1}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_of_another_account_is_403()
    {
        var (_, otherToken) = await S.OtherAccountAsync();
        Assert.Contains("does not belong", await RefusedAsync(_ => S.Http.PostRawAsync(Url(otherToken), "{\"a\":1}"), HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_without_the_role_is_403()
    {
        var observer = await S.TokenAsync("observer");
        Assert.Contains("data_manager", await RefusedAsync(_ => S.Http.PostRawAsync(Url(observer), "{\"a\":1}"), HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("abc")]
    public async Task Unknown_account_number_is_403(string aid) =>
        await RefusedAsync(t => S.Http.PostRawAsync($"/c/{aid}/app?key={t}", "{\"a\":1}"), HttpStatusCode.Forbidden);
}
