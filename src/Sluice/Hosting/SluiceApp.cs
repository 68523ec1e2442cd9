using Sluice.Accounts;
using Sluice.Api;
using Sluice.Audiences.Api;
using Sluice.Auth;
using Sluice.Collect;
using Sluice.Health;
using Sluice.Jobs.Api;
using Sluice.Mapping;
using Sluice.Processing.DeadLetters;
using Sluice.Profiles;
using Sluice.Storage.Sqlite;
using Sluice.WebConsole;

namespace Sluice.Hosting;

/// <summary>Builds the Sluice web application: collect, APIs, health, the console and the Orleans silo, on one port.</summary>
internal static class SluiceApp
{
    public static async Task<WebApplication> BuildAsync(SluiceAppOptions options, CancellationToken ct)
    {
        // Named for this assembly, not the process's entry point (a test host), so that the console's framework
        // script (blazor.web.js, for enhanced navigation and forms) is found through its static web assets manifest.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = options.Args, ApplicationName = typeof(SluiceApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.UseStaticWebAssets();
        // No "Server: Kestrel" on every answer: it tells a scanner what runs here and is bytes on every webhook's reply.
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.AddSluiceLogging(options.JsonLogs);
        builder.AddSluice(options);
        options.Configure?.Invoke(builder);

        var app = builder.Build();
        await SqliteMigrator.MigrateAsync(app.Services, ct);

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Authentication and authorization need the endpoint (its policies, its {aid}); antiforgery follows them.
        app.UseRouting();
        // A token accepted moments ago runs its endpoint from here; every other request goes through both below.
        app.UseMiddleware<KnownTokenShortcut>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealth();
        app.MapCollect();
        app.MapBulkCollect();
        app.MapAuth();
        app.MapAccounts();
        app.MapProfiles();
        app.MapQueries();
        app.MapSchema();
        app.MapSegments();
        app.MapDeadLetters();
        app.MapJobs();
        app.MapConsole();
        app.MapApiNotFound();
        app.MapFallback(NotFound.Answer);
        return app;
    }
}
