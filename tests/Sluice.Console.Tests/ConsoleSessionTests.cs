using System.Text.RegularExpressions;

namespace Sluice.Console.Tests;

/// <summary>A console session is its token: the token's roles decide the screens, and revoking it ends the session.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSessionTests(ConsoleFixture fixture)
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task An_observer_sees_profiles_but_is_refused_the_access_tokens_screen()
    {
        var page = await fixture.SignedInPageAsync(await S.TokenAsync("observer"));

        await page.GotoAsync("/profiles");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Profiles", Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync("/tokens");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Revoking_the_token_a_session_signed_in_with_ends_the_session()
    {
        var token = await S.TokenAsync("observer");
        var page = await fixture.SignedInPageAsync(token);
        await page.GotoAsync("/profiles");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Profiles", Level = 1 })).ToBeVisibleAsync();

        var tokens = S.Services.GetRequiredService<Sluice.Auth.TokenService>();
        // Other tests of the collection make observer tokens named "test" too: this one is the newest.
        var id = (await tokens.ListAsync(S.Account.Id, CancellationToken.None))
            .Where(t => t.Name == "test" && t.RevokedAt is null && t.Roles.SequenceEqual([Sluice.Auth.Role.Observer]))
            .MaxBy(t => t.CreatedAt)!.Id;
        await tokens.RevokeAsync(S.Account.Id, id, CancellationToken.None);

        await page.GotoAsync("/profiles");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task Signing_out_from_the_account_menu_ends_the_session()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByText($"Account {S.AccountNumber}").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("signed out");
        await page.GotoAsync("/profiles");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task On_a_phone_the_console_keeps_its_navigation_and_passes_the_accessibility_check()
    {
        var page = await fixture.SignedInPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/tokens");

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Profiles" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Generate Token" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "tokens-phone");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }
}
