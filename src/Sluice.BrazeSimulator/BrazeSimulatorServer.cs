using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.BrazeSimulator.Campaigns;
using Sluice.BrazeSimulator.Hosting;
using Sluice.BrazeSimulator.Inspection;
using Sluice.BrazeSimulator.Segments;
using Sluice.BrazeSimulator.Track;

namespace Sluice.BrazeSimulator;

/// <summary>A running simulator on real Kestrel. Start one per test on <c>http://127.0.0.1:0</c> and talk to
/// <see cref="BaseAddress"/> over HTTP.</summary>
public sealed class BrazeSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BrazeSimulatorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the simulator listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds the host, binds Kestrel and returns once it accepts connections.</summary>
    public static async Task<BrazeSimulatorServer> StartAsync(BrazeSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var app = Build(options, logToConsole: false);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BrazeSimulatorServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Completes when the host is told to stop (Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    internal static WebApplication Build(BrazeSimulatorOptions options, bool logToConsole)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(BrazeSimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (logToConsole)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        }

        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The endpoint enforces Braze's 4 MB itself so that the 413 carries a JSON body.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackJsonContext.Default);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton<SegmentRegistry>();
        // Braze does not follow redirects (a 30x is a failed send) and gives a receiver 90 s on its own clock.
        builder.Services.AddHttpClient(CampaignRunner.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<CampaignRunner>();

        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(context => WriteErrorAsync(context, 500)));
        // Framework-made errors (a /sim body that does not bind, a wrong method) get a JSON body too.
        app.UseStatusCodePages(pages => WriteErrorAsync(pages.HttpContext, pages.HttpContext.Response.StatusCode));
        app.MapSimApi();
        app.MapSegmentApi();
        app.MapCampaignApi();
        app.MapTrackApi();
        return app;
    }

    private static Task WriteErrorAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        var message = ReasonPhrases.GetReasonPhrase(status);
        return context.Response.WriteAsJsonAsync(new MessageResponse(message.Length > 0 ? message : "Error"), TrackJsonContext.Default.MessageResponse);
    }

    internal static void Validate(BrazeSimulatorOptions options)
    {
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{url}' is not an http:// URL such as http://127.0.0.1:9090.");
            }

            // The default key is public knowledge; only listen beyond this machine when asked to.
            if (!options.AllowRemote && !(uri.IsLoopback && uri.Host is "127.0.0.1" or "[::1]" or "localhost"))
            {
                throw new ArgumentException($"'{url}' is not a loopback address; the simulator listens on 127.0.0.1 unless remote access is allowed (--allow-remote).");
            }
        }

        if (options.ArrayCap is < 1 or > 100)
        {
            throw new ArgumentException("ArrayCap must be between 1 and 100 (Braze's default is 25, raisable to 100).");
        }

        if (options.MaxObjects < 1 || options.MaxBodyBytes < 1 || options.RateLimit < 0)
        {
            throw new ArgumentException("MaxObjects and MaxBodyBytes must be positive and RateLimit must not be negative.");
        }

        if (options.RateLimit > 0 && options.RateLimitWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("RateLimitWindow must be positive.");
        }

        if (options.SuccessStatusCode is < 200 or > 299)
        {
            throw new ArgumentException("SuccessStatusCode must be a 2xx code.");
        }

        options.Faults.Validate();
    }
}
