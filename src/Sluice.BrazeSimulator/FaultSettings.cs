using System.Globalization;
using System.Text.Json.Serialization;

namespace Sluice.BrazeSimulator;

/// <summary>Faults injected into REST API requests. Fractions are of all authenticated requests within the rate
/// limit and are drawn from one seeded random sequence, so a single client sees the same faults on every run.</summary>
public sealed record FaultSettings
{
    /// <summary>Fraction answered 429 although the budget is not spent.</summary>
    [JsonPropertyName("rate_limited_fraction")]
    public double RateLimitedFraction { get; init; }

    /// <summary>Fraction answered 500, 502 or 503 (equally likely) before anything is applied.</summary>
    [JsonPropertyName("server_error_fraction")]
    public double ServerErrorFraction { get; init; }

    /// <summary>Fraction that hangs for <see cref="StallMilliseconds"/> (beyond any sane client timeout) and is not applied.</summary>
    [JsonPropertyName("stall_fraction")]
    public double StallFraction { get; init; }

    [JsonPropertyName("stall_ms")]
    public int StallMilliseconds { get; init; } = 120_000;

    /// <summary>Fraction applied in full whose connection is then dropped without a response, so the client's retry
    /// repeats a request that was already applied.</summary>
    [JsonPropertyName("drop_after_apply_fraction")]
    public double DropAfterApplyFraction { get; init; }

    /// <summary>Fraction answered as in Braze's maintenance mode: 202 <c>{"message":"queued"}</c> with no counts. The
    /// request is applied; a client must take any 2xx as accepted.</summary>
    [JsonPropertyName("queued_fraction")]
    public double QueuedFraction { get; init; }

    /// <summary>Latency added to every REST API response.</summary>
    [JsonPropertyName("latency_ms")]
    public int LatencyMilliseconds { get; init; }

    [JsonPropertyName("seed")]
    public int Seed { get; init; } = 1;

    /// <summary>Checks that the fractions are within [0, 1] and add up to at most 1.</summary>
    public void Validate()
    {
        double[] fractions = [RateLimitedFraction, ServerErrorFraction, StallFraction, DropAfterApplyFraction, QueuedFraction];
        if (fractions.Any(f => f is < 0 or > 1 || double.IsNaN(f)))
        {
            throw new ArgumentException("Fault fractions must be between 0 and 1.");
        }

        if (fractions.Sum() > 1 + 1e-9)
        {
            throw new ArgumentException("Fault fractions must add up to at most 1.");
        }

        if (LatencyMilliseconds < 0 || StallMilliseconds < 0)
        {
            throw new ArgumentException("latency_ms and stall_ms must not be negative.");
        }
    }

    /// <summary>Parses <c>429=0.05,5xx=0.02,stall=0.01,stall-ms=120000,drop=0.01,queued=0.01,latency-ms=20,seed=7</c>.</summary>
    public static FaultSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new FaultSettings();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"'{part}' is not NAME=VALUE.");
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            settings = name switch
            {
                "429" => settings with { RateLimitedFraction = Fraction(name, value) },
                "5xx" => settings with { ServerErrorFraction = Fraction(name, value) },
                "stall" => settings with { StallFraction = Fraction(name, value) },
                "drop" => settings with { DropAfterApplyFraction = Fraction(name, value) },
                "queued" => settings with { QueuedFraction = Fraction(name, value) },
                "stall-ms" => settings with { StallMilliseconds = Integer(name, value) },
                "latency-ms" => settings with { LatencyMilliseconds = Integer(name, value) },
                "seed" => settings with { Seed = Integer(name, value) },
                _ => throw new FormatException(
                    $"Unknown fault '{name}'; use 429, 5xx, stall, stall-ms, drop, queued, latency-ms or seed."),
            };
        }

        try
        {
            settings.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        return settings;
    }

    private static double Fraction(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)
            ? f
            : throw new FormatException($"Fault '{name}' needs a fraction such as 0.05, not '{value}'.");

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new FormatException($"Fault '{name}' needs a whole number, not '{value}'.");
}
