using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Sluice.BrazeSimulator.Cli;
using Sluice.BrazeSimulator.Segments;

namespace Sluice.BrazeSimulator;

/// <summary>The <c>braze-sim</c> command line: run the simulator, or <c>generate</c> a segment export file.</summary>
public static class BrazeSimCommand
{
    /// <summary>Builds <c>braze-sim</c>; add it to a root command with <c>root.Subcommands.Add(BrazeSimCommand.Create())</c>.</summary>
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (loopback by default).",
            DefaultValueFactory = _ => "http://127.0.0.1:9090",
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Allow --urls that are not loopback; the default key is public, so only for isolated networks.",
        };
        var keys = new Option<string[]>("--key")
        {
            Description = "API key as KEY[:perm,perm...]; repeatable. Without permissions a key gets users.track. Default: sim-key:users.track.",
            AllowMultipleArgumentsPerToken = false,
        };
        keys.Validators.Add(result => Check(result, () => Array.ForEach(result.GetValueOrDefault<string[]>() ?? [], k => SimulatorApiKey.Parse(k))));
        var rateLimit = new Option<string>("--rate-limit")
        {
            Description = "Requests per window for the workspace, e.g. 3000/3s (Braze's burst limit); 'off' disables it.",
            DefaultValueFactory = _ => "3000/3s",
        };
        rateLimit.Validators.Add(result => Check(result, () => RateLimitSpec.Parse(result.GetValueOrDefault<string>()!)));
        var headerStyle = new Option<string>("--rate-limit-headers")
        {
            Description = "'epoch': X-RateLimit-Reset is the UTC epoch second (data-point contracts); 'seconds': seconds left plus X-Ratelimit-Retry-After on 429 (MAU contracts).",
            DefaultValueFactory = _ => "epoch",
        };
        headerStyle.AcceptOnlyFromAmong("epoch", "seconds");
        var arrayCap = new Option<int>("--array-cap")
        {
            Description = "Values kept in an array attribute (Braze: 25, raisable to 100); the rest is dropped silently.",
            DefaultValueFactory = _ => 25,
        };
        arrayCap.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100)
            {
                result.AddError("--array-cap must be between 1 and 100.");
            }
        });
        var faults = new Option<string?>("--faults")
        {
            Description = "Faults to inject, e.g. 429=0.05,5xx=0.02,stall=0.01,stall-ms=120000,drop=0.01,queued=0.01,latency-ms=20,seed=7.",
        };
        faults.Validators.Add(result => Check(result, () => FaultSettings.Parse(result.GetValueOrDefault<string?>() ?? "")));
        var objectLimit = new Option<string>("--object-limit")
        {
            Description = "'total': 75 objects across attributes, events and purchases (current Braze); 'per-array': 75 in each (legacy).",
            DefaultValueFactory = _ => "total",
        };
        objectLimit.AcceptOnlyFromAmong("total", "per-array");
        var successStatus = new Option<int>("--success-status")
        {
            Description = "HTTP status of a (partly) successful /users/track: 201 (what clients see) or 200.",
            DefaultValueFactory = _ => 201,
        };
        successStatus.AcceptOnlyFromAmong("200", "201");

        var command = new Command("braze-sim", "Run a local Braze REST API stand-in for development, demos and tests.");
        command.Options.Add(urls);
        command.Options.Add(allowRemote);
        command.Options.Add(keys);
        command.Options.Add(rateLimit);
        command.Options.Add(headerStyle);
        command.Options.Add(arrayCap);
        command.Options.Add(faults);
        command.Options.Add(objectLimit);
        command.Options.Add(successStatus);
        command.Subcommands.Add(CreateGenerate());
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var (limit, window) = RateLimitSpec.Parse(parse.GetValue(rateLimit)!);
            var options = new BrazeSimulatorOptions
            {
                Urls = parse.GetValue(urls)!,
                AllowRemote = parse.GetValue(allowRemote),
                RateLimit = limit,
                RateLimitWindow = window,
                RateLimitHeaders = parse.GetValue(headerStyle) == "seconds" ? RateLimitHeaderStyle.SecondsRemaining : RateLimitHeaderStyle.EpochReset,
                ArrayCap = parse.GetValue(arrayCap),
                Faults = parse.GetValue(faults) is { } f ? FaultSettings.Parse(f) : new FaultSettings(),
                ObjectLimitMode = parse.GetValue(objectLimit) == "per-array" ? ObjectLimitMode.PerArray : ObjectLimitMode.TotalAcrossArrays,
                SuccessStatusCode = parse.GetValue(successStatus),
            };
            foreach (var key in parse.GetValue(keys) ?? [])
            {
                options.Keys.Add(SimulatorApiKey.Parse(key));
            }

            try
            {
                BrazeSimulatorServer.Validate(options);
            }
            catch (ArgumentException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"braze-sim: {ex.Message}");
                return 2;
            }

            await using var app = BrazeSimulatorServer.Build(options, logToConsole: true);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"braze-sim: cannot listen on {options.Urls}: {ex.Message}");
                return 1;
            }

            var keyList = options.Keys.Count > 0 ? string.Join(", ", options.Keys.Select(k => k.Key)) : "sim-key";
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Braze simulator on {string.Join(", ", app.Urls)} (keys: {keyList}; rate limit: {(limit > 0 ? $"{limit}/{window.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : "off")}). Ctrl+C stops it.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var users = new Option<int>("--users") { Description = "How many rows.", Required = true };
        users.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--users must not be negative.");
            }
        });
        var output = new Option<string>("--out") { Description = "CSV file to write ('-' for standard output).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => 1 };
        var command = new Command("generate", "Write a realistic Braze segment export (\"User Data\" CSV) for benchmarks.");
        command.Options.Add(users);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var path = parse.GetValue(output)!;
            try
            {
                await using var stream = path == "-" ? Console.OpenStandardOutput() : File.Create(path);
                await UserCsvGenerator.WriteAsync(stream, parse.GetValue(users), parse.GetValue(seed), "Braze ID", cancellationToken);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"braze-sim generate: cannot write '{path}': {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Check(OptionResult result, Action parse)
    {
        try
        {
            parse();
        }
        catch (FormatException ex)
        {
            result.AddError(ex.Message);
        }
    }
}
