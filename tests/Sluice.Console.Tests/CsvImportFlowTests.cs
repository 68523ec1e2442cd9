using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Renci.SshNet;

namespace Sluice.Console.Tests;

/// <summary>
/// "From a CSV file" as a person walks it in the console, on a node that runs its own drop-box sshd: a managed SFTP
/// authorization with its credentials shown once, a file uploaded with an SFTP client, an Import CSV job made in the
/// wizard, its progress, its error file, and an imported person on the profiles screen.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CsvImportFlowTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_managed_drop_box_made_in_the_console_takes_an_upload_that_an_Import_CSV_job_from_the_wizard_turns_into_profiles()
    {
        await using var node = await ManagedNodeAsync();
        var page = await fixture.SignedInPageAsync(server: node.Server);
        var login = await CreateDropBoxAsync(page, "Partner drop box");

        // The password is on the creation answer only.
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the authorization" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partner drop box", Level = 1 })).ToBeVisibleAsync();
        Assert.DoesNotContain(login.Password, await page.ContentAsync(), StringComparison.Ordinal);

        Upload(login, "people.csv", People(2_000, bad: []));

        await CreateImportJobAsync(page, "Partner drop box", "Partner import");
        await ReloadUntilAsync(page, async () => await page.Locator("#job-status").InnerTextAsync() is "completed" or "failed");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(Metric(page, "rows stored")).ToHaveTextAsync("2000");
        await Assertions.Expect(Metric(page, "files imported")).ToHaveTextAsync("1");
        await ConsoleFixture.ScreenshotAsync(page, "job-csv-import-done");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // Profiles are built from the log as events are; the screen finds one once processing reaches it.
        await page.GotoAsync("/profiles");
        await page.GetByLabel("Identity field").FillAsync("user_id");
        await page.GetByLabel("Value").FillAsync("u0001999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await ReloadUntilAsync(page, async () => !await page.GetByText("No profile with").IsVisibleAsync());
        var fields = page.Locator("section[aria-labelledby=fields-title]");
        await Assertions.Expect(fields.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^email ") })).ToContainTextAsync("p0001999@example.com");
        await Assertions.Expect(fields.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^city ") })).ToContainTextAsync("Portland, OR");
        await ConsoleFixture.ScreenshotAsync(page, "profile-imported");
    }

    [Fact]
    public async Task A_running_import_shows_its_progress_and_a_link_to_its_error_file_listing_the_bad_rows()
    {
        await using var node = await ManagedNodeAsync();
        var page = await fixture.SignedInPageAsync(server: node.Server);
        var login = await CreateDropBoxAsync(page, "Bulk drop box");
        // Large enough to be seen mid-file; its bad rows are in the first committed chunk.
        const int Rows = 400_000;
        Upload(login, "bulk.csv", People(Rows, bad: [3, 10]));

        await CreateImportJobAsync(page, "Bulk drop box", "Bulk import");
        var running = false;
        await ReloadUntilAsync(page, async () =>
        {
            var status = await page.Locator("#job-status").InnerTextAsync();
            running = status == "running" && await page.Locator("#job-progress").IsVisibleAsync() && await page.Locator("#job-errors-link").IsVisibleAsync();
            return running || status is "completed" or "failed";
        });
        Assert.True(running, "the job finished before its detail showed it running with bad rows");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Importing bulk.csv" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#job-import-rate")).ToContainTextAsync("rows a second");
        var percent = int.Parse((await page.Locator("#job-progress-text").InnerTextAsync()).TrimEnd(' ', '%'), CultureInfo.InvariantCulture);
        Assert.InRange(percent, 0, 99);
        await ConsoleFixture.ScreenshotAsync(page, "job-csv-import-running");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // The link downloads with the console's own session, as a click does.
        var href = await page.Locator("#job-errors-link").GetAttributeAsync("href");
        var download = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, download.Status);
        Assert.StartsWith("text/csv", download.Headers["content-type"], StringComparison.Ordinal);
        var lines = (await download.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,line,reason", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("bulk.csv,5,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("bulk.csv,12,", lines[2], StringComparison.Ordinal);

        await ReloadUntilAsync(page, async () => await page.Locator("#job-status").InnerTextAsync() is "completed" or "failed");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(Metric(page, "rows stored")).ToHaveTextAsync((Rows - 2).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(Metric(page, "rows refused")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#job-errors-link")).ToBeVisibleAsync();
    }

    private sealed record DropBox(string Host, int Port, string User, string Password, string Fingerprint);

    /// <summary>"Create new authorization": Custom Integrations, Managed SFTP, a label, Complete; the credentials shown once.</summary>
    private static async Task<DropBox> CreateDropBoxAsync(IPage page, string label)
    {
        await page.GotoAsync("/authorizations/new");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Custom Integrations") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Managed SFTP") }).ClickAsync();
        await page.GetByLabel("Label").FillAsync(label);
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.GetByText("they are shown only once")).ToBeVisibleAsync();
        var login = new DropBox(
            await page.GetByLabel("host", new() { Exact = true }).InputValueAsync(),
            int.Parse(await page.GetByLabel("port", new() { Exact = true }).InputValueAsync(), CultureInfo.InvariantCulture),
            await page.GetByLabel("username", new() { Exact = true }).InputValueAsync(),
            await page.GetByLabel("password", new() { Exact = true }).InputValueAsync(),
            (await page.GetByLabel("host key fingerprint", new() { Exact = true }).InputValueAsync())["SHA256:".Length..]);
        Assert.NotEmpty(login.Password);
        await ConsoleFixture.ScreenshotAsync(page, "authorization-managed-created");
        await ConsoleFixture.AssertAccessibleAsync(page);
        return login;
    }

    /// <summary>"Create new job": Custom Integrations, Import CSV, the authorization, then the label and the drop box's top folder.</summary>
    private static async Task CreateImportJobAsync(IPage page, string authorization, string label)
    {
        await page.GotoAsync("/jobs/new");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Custom Integrations") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Import CSV") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^" + Regex.Escape(authorization)) }).First.ClickAsync();
        await page.GetByLabel("Label").FillAsync(label);
        await page.GetByLabel(new Regex("^Folder")).FillAsync(".");
        await ConsoleFixture.ScreenshotAsync(page, "job-csv-configure");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = label, Level = 1 })).ToBeVisibleAsync();
    }

    private static ILocator Metric(IPage page, string name) =>
        page.GetByRole(AriaRole.Region, new() { Name = "Metrics" }).Locator($"dt:text-is('{name}') + dd");

    private static void Upload(DropBox login, string name, string text)
    {
        using var client = new SftpClient(login.Host, login.Port, login.User, login.Password);
        client.HostKeyReceived += (_, e) => e.CanTrust = e.FingerPrintSHA256 == login.Fingerprint;
        client.Connect();
        client.UploadFile(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);
    }

    /// <summary>People with quoted commas and non-ASCII names; the rows at the <paramref name="bad"/> indexes have a column too few.</summary>
    private static string People(int rows, int[] bad)
    {
        var text = new StringBuilder("user_id,email,first_name,last_name,city\n");
        string[] cities = ["\"Washington, D.C.\"", "São Paulo", "Zürich", "\"Portland, OR\""];
        string[] names = ["Zoë", "Müller", "José", "Anna"];
        for (var i = 0; i < rows; i++)
        {
            var id = i.ToString("D7", CultureInfo.InvariantCulture);
            if (bad.Contains(i)) text.Append(CultureInfo.InvariantCulture, $"u{id},p{id}@example.com,{names[i % 4]},{names[(i + 1) % 4]}\n");
            else text.Append(CultureInfo.InvariantCulture, $"u{id},p{id}@example.com,{names[i % 4]},{names[(i + 1) % 4]},{cities[i % 4]}\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// Reloads the page, as a person waiting does, until <paramref name="done"/> holds or four minutes pass (a
    /// 400,000-row import beside other builds on two cores has taken over a minute).
    /// </summary>
    private static async Task ReloadUntilAsync(IPage page, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting; the page says: {await page.Locator("main").InnerTextAsync()}");
            await page.ReloadAsync();
        }
    }

    /// <summary>A node of its own that runs the drop-box sshd (root and OpenSSH needed; skipped without them, failed on CI).</summary>
    private static async Task<ManagedNode> ManagedNodeAsync()
    {
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/sshd"))
        {
            const string Why = "managed SFTP drop boxes need root and /usr/sbin/sshd";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(Why);
            Assert.Skip(Why);
        }
        // sshd chroots only below folders that nobody but root can write: not /tmp.
        var folder = Path.Combine("/var/lib/sluice-test-sftp", Guid.NewGuid().ToString("N"));
        var server = await TestServer.StartAsync(b =>
        {
            b.Configuration["Sluice:Sftp:Managed:Enabled"] = "true";
            b.Configuration["Sluice:Sftp:Managed:Port"] = "0";
            b.Configuration["Sluice:Sftp:Managed:DataFolder"] = folder;
        });
        return new ManagedNode(server, folder);
    }

    private sealed class ManagedNode(TestServer server, string folder) : IAsyncDisposable
    {
        public TestServer Server { get; } = server;

        /// <summary>Deletes the drop boxes first: each is a system user, which must not outlive the test.</summary>
        public async ValueTask DisposeAsync()
        {
            var listed = System.Text.Json.Nodes.JsonNode.Parse(await Server.Http.GetStringAsync($"/api/auth?key={Server.AdminToken}"))!["data"]!.AsArray();
            foreach (var auth in listed)
            {
                await Server.Http.DeleteAsync($"/api/auth/{(string)auth!["id"]!}?key={Server.AdminToken}");
            }
            await Server.DisposeAsync();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
