using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Console.Tests;

/// <summary>
/// The seed's main flow in a real browser, against the Braze simulator: create a Braze authorization and test it,
/// create the Export Audience job with Existing users checked, watch it reach 100 %, pause and resume it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BrazeFlowTests(ConsoleFixture fixture)
{
    /// <summary>A backfill of a few users on a busy two-core machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private TestServer S => fixture.Server;

    [Fact]
    public async Task A_Braze_authorization_is_created_and_tested_then_an_export_job_with_existing_users_reaches_100_percent_and_updates_Braze()
    {
        await using var sim = await BrazeSim.StartAsync();
        var users = new[] { "console-flow-1", "console-flow-2", "console-flow-3" };
        var token = (await S.Services.GetRequiredService<Sluice.Auth.TokenService>().CreateAsync(
            S.Account.Id, "braze flow feed", null, [Sluice.Auth.Role.DataManager], null, CancellationToken.None)).Secret;
        foreach (var user in users)
        {
            using var body = new StringContent($$"""{"braze_id":"{{user}}","email":"{{user}}@example.com","city":"Oslo"}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await S.Http.PostAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body)).StatusCode);
        }
        await S.WaitForProcessingAsync();

        var page = await fixture.SignedInPageAsync();
        var authLabel = $"Braze simulator {Guid.NewGuid():N}"[..28];
        await CreateAuthorizationAsync(page, authLabel, sim);

        // The connection test asks the simulator with the stored key.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("Connected: the key is valid");
        await ConsoleFixture.ScreenshotAsync(page, "authorization-tested");
        await ConsoleFixture.AssertAccessibleAsync(page);
        var authUrl = page.Url;

        await page.GotoAsync("/authorizations");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = authLabel })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "authorizations");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await CreateJobAsync(page, authLabel);
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("running");
        await EventuallyAsync(page, async () => await page.Locator("#job-progress-text").TextContentAsync() == "100 %");
        foreach (var user in users) Assert.Contains("lytics_all", await sim.ArrayAsync(user, "lytics_segments"));
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Users sent, failed and retried per minute, last 24 hours" })).ToBeVisibleAsync();
        // Other tests of the collection add profiles to "all" too: at least these users were sent, none failed.
        var described = await page.Locator("#job-minutes-desc").TextContentAsync() ?? "";
        var sent = Regex.Match(described, @"^(\d+) users sent, 0 failed and 0 retried");
        Assert.True(sent.Success && int.Parse(sent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= users.Length, described);
        await ConsoleFixture.ScreenshotAsync(page, "job-detail");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // Pause and resume, as an operator does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("paused");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("running");

        // The per-row log filters by user.
        await page.GetByLabel("User", new() { Exact = true }).FillAsync(users[0]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = users[0] })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = users[1] })).ToHaveCountAsync(0);

        await page.GotoAsync("/jobs");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "Braze audiences (console)" }).First).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "jobs");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // The job uses the authorization: deleting it is refused, with the job named.
        await page.GotoAsync(authUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete authorization" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delete-error")).ToContainTextAsync("used by");
    }

    [Fact]
    public async Task An_audience_and_a_stream_show_their_charts_as_images_with_a_text_equivalent()
    {
        var token = (await S.Services.GetRequiredService<Sluice.Auth.TokenService>().CreateAsync(
            S.Account.Id, "chart feed", null, [Sluice.Auth.Role.DataManager], null, CancellationToken.None)).Secret;
        foreach (var user in new[] { "chart-1", "chart-2" })
        {
            using var body = new StringContent($$"""{"braze_id":"{{user}}","email":"{{user}}@example.com"}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await S.Http.PostAsync($"/c/{S.AccountNumber}/braze_users?key={token}", body)).StatusCode);
        }
        await S.WaitForProcessingAsync();
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync("/audiences/all");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Audience size over time" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#audience-size-desc")).ToContainTextAsync("entries");
        await ConsoleFixture.ScreenshotAsync(page, "audience-detail");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await page.GotoAsync("/streams?stream=braze_users");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Events per minute on braze_users, last 24 hours" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#stream-minutes-desc")).ToContainTextAsync("events in the last 24 hours");
        await Assertions.Expect(page.Locator("#processing-lag")).ToContainTextAsync("Lag from collect to profile now");
        await page.GetByText("Events per minute on braze_users, last 24 hours as a table").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Events per minute on braze_users, last 24 hours as a table" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "stream");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_export_job_without_an_audience_is_not_created_and_the_workflows_error_is_next_to_the_audiences()
    {
        var auth = await S.Http.PostAsync($"/api/auth?key={S.AdminToken}", new StringContent(
            $$$"""{"provider":"braze","label":"Unused Braze","config":{"api_key":"{{{BrazeSim.TrackKey}}}","rest_url":"http://127.0.0.1:9/"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, auth.StatusCode);
        var authId = (string)System.Text.Json.Nodes.JsonNode.Parse(await auth.Content.ReadAsStringAsync())!["data"]!["id"]!;

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync($"/jobs/new?provider=braze&workflow=braze-export-audience&auth={authId}");
        await page.GetByLabel("Label").FillAsync("No audience");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();

        await Assertions.Expect(page.Locator("#segment_ids-error")).ToContainTextAsync("segment_ids must name at least one audience");
        await ConsoleFixture.ScreenshotAsync(page, "job-error");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/jobs");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "No audience" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_Braze_authorization_without_a_key_is_not_saved_and_the_error_is_next_to_the_key()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/authorizations/new?provider=braze");
        await page.GetByLabel("Label").FillAsync("No key");
        await page.GetByLabel("Braze instance").SelectOptionAsync("US-03");
        await page.EvaluateAsync("document.getElementById('api_key').removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();

        await Assertions.Expect(page.Locator("#api_key-error")).ToContainTextAsync("api_key is required");
        await Assertions.Expect(page.Locator("#api_key")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleFixture.ScreenshotAsync(page, "authorization-error");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/authorizations");
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "No key" })).ToHaveCountAsync(0);
    }

    private static async Task CreateAuthorizationAsync(IPage page, string label, BrazeSim sim)
    {
        await page.GotoAsync("/authorizations");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create new authorization" }).ClickAsync();
        await page.GetByLabel("Search providers").FillAsync("braze");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Custom Integrations" })).ToHaveCountAsync(0);
        await ConsoleFixture.ScreenshotAsync(page, "authorization-provider");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Braze") }).ClickAsync();

        await page.GetByLabel("Label").FillAsync(label);
        await page.GetByLabel("Description").FillAsync("made by a browser test");
        await page.GetByLabel("REST API key").FillAsync(BrazeSim.TrackKey);
        await Assertions.Expect(page.GetByLabel("REST API key")).ToHaveAttributeAsync("type", "password");
        await page.GetByLabel("Braze instance").SelectOptionAsync("");
        await page.GetByLabel(new Regex("^REST URL")).FillAsync(sim.BaseAddress.ToString());
        await ConsoleFixture.ScreenshotAsync(page, "authorization-configure");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = label, Level = 1 })).ToBeVisibleAsync();
        Assert.DoesNotContain(BrazeSim.TrackKey, await page.ContentAsync(), StringComparison.Ordinal);
    }

    private static async Task CreateJobAsync(IPage page, string authLabel)
    {
        await page.GotoAsync("/jobs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create new job" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Braze") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Export Audience") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^" + Regex.Escape(authLabel)) }).ClickAsync();

        await page.GetByLabel("Label").FillAsync("Braze audiences (console)");
        await page.GetByLabel("Braze External ID field").SelectOptionAsync("braze_id");
        await page.Locator("#aud-all").CheckAsync();
        await Assertions.Expect(page.GetByLabel("Existing users")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#existing_users-note")).ToContainTextAsync("one Braze data point per user per audience");
        await ConsoleFixture.ScreenshotAsync(page, "job-configure");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Braze audiences (console)", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Reloads the page until <paramref name="condition"/> holds: the page is drawn on the server, once per request.</summary>
    private static async Task EventuallyAsync(IPage page, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Patience.TotalSeconds} s; the page says: {await page.Locator("main").InnerTextAsync()}");
            await page.WaitForTimeoutAsync(500);
            await page.ReloadAsync();
        }
    }
}
