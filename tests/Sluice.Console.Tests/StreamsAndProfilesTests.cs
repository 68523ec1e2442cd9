using System.Globalization;
using System.Net;
using System.Text;

namespace Sluice.Console.Tests;

/// <summary>The stream page's lag chart and the profile lookup, as a person uses them in a real browser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class StreamsAndProfilesTests(ConsoleFixture fixture)
{
    private TestServer S => fixture.Server;

    [Fact]
    public async Task The_stream_page_draws_the_lag_from_collect_to_profile_of_the_events_processed()
    {
        var token = await S.TokenAsync("data_manager");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/c/{S.AccountNumber}/lag_feed?key={token}", """{"email":"lag.one@example.com"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/c/{S.AccountNumber}/lag_feed?key={token}", """{"email":"lag.two@example.com"}""")).StatusCode);
        await S.WaitForProcessingAsync();

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/streams?stream=lag_feed");

        var chart = page.Locator("figure:has(#stream-lag-title)");
        await Assertions.Expect(chart.Locator("figcaption")).ToContainTextAsync("Lag from collect to profile on lag_feed");
        await Assertions.Expect(page.Locator("#stream-lag-desc")).ToContainTextAsync("2 events applied");
        // A point per minute with events: the table under the picture lists it with its longest and 95th percentile.
        await Assertions.Expect(chart.Locator("thead")).ToContainTextAsync("95th percentile");
        Assert.True(await chart.Locator("tbody tr").CountAsync() >= 1);
        Assert.True(await chart.Locator("svg polyline, svg circle").CountAsync() >= 2);
        await ConsoleFixture.ScreenshotAsync(page, "stream-lag");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_profile_is_found_by_an_identity_value_written_as_a_person_types_it_as_the_API_finds_it()
    {
        var token = await S.TokenAsync("data_manager");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/query?key={token}",
            "SELECT email(email) AS email, phone(phone) AS phone_number FROM console_phones INTO user BY email OR phone_number ALIAS console_phones",
            "text/plain")).StatusCode);
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var email = $"phone.{digits}@example.com";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/c/{S.AccountNumber}/console_phones?key={token}",
            $$"""{"email":"{{email}}","phone":"+1555{{digits}}"}""")).StatusCode);
        await S.WaitForProcessingAsync();
        var page = await fixture.SignedInPageAsync();

        // No field named: every identity field is tried, and the phone number as typed is stored as phone() makes it.
        await page.GotoAsync("/profiles");
        await page.GetByLabel("Value").FillAsync($"(555) {digits[..3]}-{digits[3..]}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=ids-title]")).ToContainTextAsync(email);

        // The email in capitals with spaces around it, in the email field.
        await page.GotoAsync("/profiles");
        await page.GetByLabel("Identity field").FillAsync("email");
        await page.GetByLabel("Value").FillAsync($"  {email.ToUpperInvariant()} ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=ids-title]")).ToContainTextAsync($"+1555{digits}");
    }

    private async Task<HttpResponseMessage> PostAsync(string url, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        return await S.Http.PostAsync(url, content);
    }
}
