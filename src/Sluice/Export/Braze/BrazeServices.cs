using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Sluice.Export.Braze;

internal static class BrazeServices
{
    /// <summary>
    /// The Braze clients: <see cref="BrazeHttp.TrackClient"/> retries transient failures (429, 5xx, 408, timeouts,
    /// dropped connections) without limit, with exponential backoff and jitter and a per-attempt timeout, until the
    /// caller's token is cancelled; <see cref="BrazeHttp.CheckClient"/> tries once. Both pass every attempt through
    /// the workspace's limiter. The Authorization header is redacted from HTTP logging.
    /// </summary>
    public static IServiceCollection AddSluiceBraze(this IServiceCollection services)
    {
        services.AddOptions<BrazeOptions>().BindConfiguration("Sluice:Braze").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BrazeRateLimiters>();
        services.TryAddTransient<BrazeRateLimitHandler>();
        services.TryAddSingleton<IBrazeTrackClient, BrazeTrackClient>();
        services.TryAddSingleton<IBrazeExportPlanner, BrazeExportPlanner>();
        services.TryAddSingleton<BrazeKeyCheck>();

        // Handlers added first are outermost: the retries wrap the limiter, so every attempt waits for a permit, and
        // the attempt's timeout starts only once it has one (a queue behind a small budget is not a Braze timeout).
        var track = services.AddHttpClient(BrazeHttp.TrackClient, c => c.Timeout = Timeout.InfiniteTimeSpan);
        track.AddResilienceHandler("braze-track-retry", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<BrazeOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    // The contract: a change is never dropped, so only the caller's cancellation ends the retries.
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.RetryMaxDelay,
                    DelayGenerator = args => ValueTask.FromResult(BrazeRetryDelay.FromHeaders(args.Outcome.Result)),
                });
            });
        track.AddHttpMessageHandler<BrazeRateLimitHandler>();
        track.AddResilienceHandler("braze-track-attempt", (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<BrazeOptions>>().Value.AttemptTimeout));
        track.RedactLoggedHeaders(["Authorization"]);

        services.AddHttpClient(BrazeHttp.CheckClient)
            .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<BrazeOptions>>().Value.TestTimeout)
            .AddHttpMessageHandler<BrazeRateLimitHandler>()
            .RedactLoggedHeaders(["Authorization"]);
        return services;
    }
}
