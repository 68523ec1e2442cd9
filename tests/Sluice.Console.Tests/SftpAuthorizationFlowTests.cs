using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sluice.Console.Tests;

/// <summary>Custom Integrations in the authorization wizard: the SFTP types, a client's settings checked by the SFTP provider.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SftpAuthorizationFlowTests(ConsoleFixture fixture)
{
    /// <summary>A fingerprint of the right shape (SHA256: and 43 base64 characters); no server has this key.</summary>
    private const string Fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public async Task An_SFTP_client_authorization_without_a_host_shows_the_error_at_the_host_and_once_fixed_is_saved_and_tested()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/authorizations/new");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Custom Integrations") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^SFTP client with PGP private key") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Managed SFTP") })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "authorization-sftp-types");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^SFTP client Sluice") }).ClickAsync();

        await page.GetByLabel("Label").FillAsync("Partner SFTP");
        await page.GetByLabel("User name").FillAsync("partner");
        await page.GetByLabel(new Regex("^Password")).FillAsync("not-a-real-password");
        await page.GetByLabel(new Regex("^Host key fingerprint")).FillAsync(Fingerprint);
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#host-error")).ToContainTextAsync("host is required");
        Assert.DoesNotContain("not-a-real-password", await page.ContentAsync(), StringComparison.Ordinal);
        await ConsoleFixture.ScreenshotAsync(page, "authorization-sftp-error");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // Port 9 on loopback: nothing listens, so the test fails fast and says so.
        await page.GetByLabel(new Regex("^Host")).First.FillAsync("127.0.0.1");
        await page.GetByLabel(new Regex("^Port")).FillAsync("9");
        await page.GetByLabel(new Regex("^Password")).FillAsync("not-a-real-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partner SFTP", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("Failed: ");
    }

    [Fact]
    public async Task An_Import_CSV_job_shows_the_workflows_errors_next_to_the_folder_and_for_a_server_it_cannot_reach()
    {
        var created = await fixture.Server.Http.PostAsync($"/api/auth?key={fixture.Server.AdminToken}", new StringContent(
            $$$"""{"provider":"sftp","label":"Unreachable SFTP","config":{"type":"client","host":"127.0.0.1","port":9,"username":"u","password":"p","host_key_fingerprint":"{{{Fingerprint}}}"}}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var authId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["id"]!;

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/jobs/new");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Custom Integrations") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Import CSV") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Unreachable SFTP") }).First.ClickAsync();
        Assert.Contains($"auth={authId}", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Label").FillAsync("Nightly CSV");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#directory-error")).ToContainTextAsync("directory is required");
        await Assertions.Expect(page.Locator("#job-error")).ToContainTextAsync("cannot be imported from");
        await ConsoleFixture.ScreenshotAsync(page, "job-csv-error");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }
}
