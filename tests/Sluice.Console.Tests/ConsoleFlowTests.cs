using System.Net;
using System.Text;

namespace Sluice.Console.Tests;

/// <summary>The console's flows as a person walks them in a real browser against a real node.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleFlowTests(ConsoleFixture fixture)
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task Signing_in_with_a_pasted_token_opens_the_console_of_its_account()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");

        // Not signed in: the console sends the browser to the sign-in page.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await ConsoleFixture.ScreenshotAsync(page, "signin");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Access token").FillAsync(S.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Account {S.AccountNumber}", Level = 1 })).ToBeVisibleAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Profiles" })).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Streams" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "home");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_at_sign_in_with_a_message_next_to_the_field()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Access token").FillAsync("slc_not_a_token_of_this_server");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("#token-error")).ToContainTextAsync("unknown, expired or revoked");
        await page.GotoAsync("/profiles");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }

    [Fact]
    public async Task A_created_token_is_shown_once_with_its_webhook_URL_and_collects_events()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/tokens");
        await page.GetByLabel("Name").FillAsync("Braze webhook (console test)");
        await page.GetByLabel("Description").FillAsync("made by a browser test");
        await page.GetByLabel("Expiration").SelectOptionAsync("30d");
        await page.GetByLabel("Data Manager").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate Token" }).ClickAsync();

        var secret = await page.GetByLabel("Access token").InputValueAsync();
        var webhook = await page.GetByLabel("Braze webhook URL").InputValueAsync();
        Assert.StartsWith("slc_", secret, StringComparison.Ordinal);
        Assert.Equal($"{S.BaseAddress}c/{S.AccountNumber}/braze_users?key={secret}", webhook);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).First).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "tokens-created");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // The URL as shown works as a Braze webhook.
        using var body = new StringContent("""{"email":"webhook.test@example.com","braze_id":"console-wh-1"}""", Encoding.UTF8, "application/json");
        var collected = await S.Http.PostAsync(new Uri(webhook), body);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);

        // Shown once: the list names the token but never shows its secret again.
        await page.GotoAsync("/tokens");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "Braze webhook (console test)" })).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await ConsoleFixture.ScreenshotAsync(page, "tokens");
    }

    [Fact]
    public async Task A_token_without_a_name_is_not_created_and_the_error_is_next_to_the_name()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/tokens");
        var before = (await S.Services.GetRequiredService<Sluice.Auth.TokenService>().ListAsync(S.Account.Id, CancellationToken.None)).Count;
        // Past the browser's own check, so that the server's answer is what is tested.
        await page.GetByLabel("Name").EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate Token" }).ClickAsync();

        await Assertions.Expect(page.Locator("#name-error")).ToContainTextAsync("name");
        await Assertions.Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(before, (await S.Services.GetRequiredService<Sluice.Auth.TokenService>().ListAsync(S.Account.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_token_revoked_in_the_console_is_refused_by_the_API()
    {
        var token = await CreateTokenAsync("revoke me", "data_manager");
        Assert.Equal(HttpStatusCode.OK, (await CollectAsync(token, """{"email":"before.revoke@example.com"}""")).StatusCode);

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke revoke me" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoke me");
        var refused = await CollectAsync(token, """{"email":"after.revoke@example.com"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Looking_up_a_profile_by_an_identity_shows_its_fields_identities_streams_and_recent_events()
    {
        var token = await CreateTokenAsync("profile feed", "data_manager");
        Assert.Equal(HttpStatusCode.OK, (await CollectAsync(token,
            """{"email":"Ada.Lovelace@example.com","braze_id":"braze-ada","first_name":"Ada","city":"London"}""")).StatusCode);
        await S.WaitForProcessingAsync();

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/profiles");
        await page.GetByLabel("Identity field").FillAsync("braze_id");
        await page.GetByLabel("Value").FillAsync("braze-ada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Identity values" })).ToBeVisibleAsync();
        var identities = page.Locator("section[aria-labelledby=ids-title]");
        await Assertions.Expect(identities).ToContainTextAsync("ada.lovelace@example.com");
        await Assertions.Expect(identities).ToContainTextAsync("braze_users");
        await Assertions.Expect(page.Locator("section[aria-labelledby=fields-title]")).ToContainTextAsync("London");
        var recent = page.Locator("section[aria-labelledby=recent-title]");
        await Assertions.Expect(recent.Locator("details")).ToHaveCountAsync(1);
        await Assertions.Expect(recent).ToContainTextAsync("braze_users");
        await ConsoleFixture.ScreenshotAsync(page, "profile");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_streams_page_counts_events_shows_the_mapping_and_tests_it_on_a_record()
    {
        var token = await CreateTokenAsync("stream feed", "data_manager");
        Assert.Equal(HttpStatusCode.OK, (await CollectAsync(token, """{"email":"grace@example.com","braze_id":"braze-grace"}""")).StatusCode);

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/streams");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "braze_users" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "streams");
        await page.GetByRole(AriaRole.Link, new() { Name = "braze_users" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mapping" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=mapping-title] pre")).ToContainTextAsync("ALIAS braze_users");
        await page.GetByLabel("Test record (JSON)").FillAsync("""{"email":"Test.Person@Example.com","first_name":"Test"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test mapping" }).ClickAsync();

        var result = page.Locator("#mapping-result");
        await Assertions.Expect(result).ToContainTextAsync("The mapping would write");
        await Assertions.Expect(result).ToContainTextAsync("email = test.person@example.com");
        await ConsoleFixture.ScreenshotAsync(page, "stream-mapping-test");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Test record (JSON)").FillAsync("""{"email": """);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test mapping" }).ClickAsync();
        await Assertions.Expect(page.Locator("#record-error")).ToContainTextAsync("malformed JSON at line 1, position");

        // Valid JSON holding a lone surrogate: refused at its place, as the API refuses it, instead of an error page.
        await page.GetByLabel("Test record (JSON)").FillAsync("""{"email":"a@example.com","first_name":"\uD800"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test mapping" }).ClickAsync();
        await Assertions.Expect(page.Locator("#record-error")).ToContainTextAsync("invalid Unicode at line 1");
    }

    [Fact]
    public async Task An_unknown_console_path_is_an_HTML_page_and_an_unknown_API_path_stays_JSON()
    {
        var page = await fixture.SignedInPageAsync();
        var response = await page.GotoAsync("/no-such-screen");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();

        var api = await S.Http.GetAsync("/api/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> CreateTokenAsync(string name, string role)
    {
        Sluice.Auth.Roles.TryParseAll([role], out _, out var roles);
        var created = await S.Services.GetRequiredService<Sluice.Auth.TokenService>().CreateAsync(S.Account.Id, name, null, roles, null, CancellationToken.None);
        return created.Secret;
    }

    private async Task<HttpResponseMessage> CollectAsync(string token, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        return await S.Http.PostAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body);
    }
}
