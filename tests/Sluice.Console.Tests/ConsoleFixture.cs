using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Sluice.Console.Tests;

/// <summary>
/// One real Sluice node and one headless Chromium (Debian's, from <c>SLUICE_TEST_CHROMIUM</c>) for the whole
/// collection: a browser costs seconds to start on two cores. Each test gets its own browser context (its own
/// cookies), so signing in in one test says nothing about another.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public TestServer Server { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Screenshots of the main screens land here, in the test output, for people to look at.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        var chromium = Environment.GetEnvironmentVariable("SLUICE_TEST_CHROMIUM");
        if (string.IsNullOrEmpty(chromium) || !File.Exists(chromium))
        {
            Unavailable = $"no Chromium: set SLUICE_TEST_CHROMIUM to a chromium executable (got \"{chromium}\")";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        // Two cores shared with builds: a page may take longer than the default five seconds to answer.
        Assertions.SetDefaultExpectTimeout(20_000);
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A fresh page in its own context, or a skip with the reason when there is no browser. Under CI a missing
    /// browser fails the test instead: CI installs Chromium, so its absence there is a broken setup, not a choice.
    /// </summary>
    public async Task<IPage> NewPageAsync(TestServer? server = null)
    {
        if (Browser is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(Unavailable);
            Assert.Skip(Unavailable!);
        }
        var context = await Browser.NewContextAsync(new() { BaseURL = (server ?? Server).BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs in through the sign-in page, as a person pasting a token does; on the collection's node, or on one a
    /// test started with its own settings.
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string? token = null, TestServer? server = null)
    {
        var page = await NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Access token").FillAsync(token ?? (server ?? Server).AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            // Say why the sign-in page stayed (a refused or throttled token), not only that it did.
            Assert.Fail($"signing in did not leave the sign-in page; it says: {await page.Locator("body").InnerTextAsync()}");
        }
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    /// <summary>Runs axe-core on the page and fails on any serious or critical violation, naming them.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad.Select(Describe)));
    }

    private static string Describe(AxeResultItem v) =>
        $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}";

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
