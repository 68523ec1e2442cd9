using System.Net;
using System.Text;

namespace Sluice.Console.Tests;

/// <summary>The audience editor in a real browser: an error shown at its position, the size before saving, the list.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AudienceFlowTests(ConsoleFixture fixture)
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task An_audience_with_a_syntax_error_shows_it_at_its_position_and_once_fixed_its_size_then_saves()
    {
        var token = (await S.Services.GetRequiredService<Sluice.Auth.TokenService>().CreateAsync(
            S.Account.Id, "audience feed", null, [Sluice.Auth.Role.DataManager], null, CancellationToken.None)).Secret;
        foreach (var city in new[] { "Paris", "Paris", "Lyon" })
        {
            using var body = new StringContent($$"""{"email":"{{Guid.NewGuid():N}}@example.com","city":"{{city}}"}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await S.Http.PostAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body)).StatusCode);
        }
        await S.WaitForProcessingAsync();

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/audiences/new");
        await page.GetByLabel("Name").FillAsync("Parisians");
        await page.GetByLabel("Definition (FilterQL)").FillAsync("FILTER city = \"Paris\" AND FROM user");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check and count" }).ClickAsync();

        await Assertions.Expect(page.Locator("#segment_ql-error")).ToContainTextAsync("Line 1, column");
        await Assertions.Expect(page.Locator("#error-at")).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "audience-error");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // While typing, the editor checks the statement on the server and says where it is wrong.
        var definition = page.GetByLabel("Definition (FilterQL)");
        await definition.FillAsync("");
        await definition.PressSequentiallyAsync("FILTER city = ");
        await Assertions.Expect(page.Locator("#segment_ql-live")).ToContainTextAsync("Line 1, column");
        await definition.PressSequentiallyAsync("\"Paris\" FROM user");
        await Assertions.Expect(page.Locator("#segment_ql-live")).ToHaveTextAsync("The definition is valid.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Check and count" }).ClickAsync();
        await Assertions.Expect(page.Locator("#size-preview")).ToContainTextAsync("2 of");
        await ConsoleFixture.ScreenshotAsync(page, "audience-size");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save audience" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Parisians", Level = 1 })).ToBeVisibleAsync();

        await page.GotoAsync("/audiences");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "Parisians" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "audiences");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }
}
