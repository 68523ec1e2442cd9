namespace Sluice.BrazeSimulator;

/// <summary>How the simulator is started. Defaults follow Braze; where Braze's behaviour is unconfirmed the stricter
/// choice is the default and the other one is a switch here.</summary>
public sealed class BrazeSimulatorOptions
{
    /// <summary>Kestrel URLs. Port 0 picks a free port; read <see cref="BrazeSimulatorServer.BaseAddress"/>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:9090";

    /// <summary>Allows URLs that are not loopback (e.g. <c>http://0.0.0.0:9090</c> in a container).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>REST API keys of the one simulated workspace.</summary>
    public IList<SimulatorApiKey> Keys { get; } = [];

    /// <summary>Requests allowed per <see cref="RateLimitWindow"/> for the whole workspace; 0 disables the limit.</summary>
    public int RateLimit { get; set; } = 3000;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Which contract's rate-limit headers to send; clients must cope with both.</summary>
    public RateLimitHeaderStyle RateLimitHeaders { get; set; } = RateLimitHeaderStyle.EpochReset;

    /// <summary>Maximum values kept in an array attribute; longer arrays are truncated silently, as Braze does.</summary>
    public int ArrayCap { get; set; } = 25;

    /// <summary>Which values survive when an array would exceed <see cref="ArrayCap"/>. Braze's choice is unconfirmed.</summary>
    public ArrayOverflow ArrayOverflow { get; set; } = ArrayOverflow.KeepFirst;

    /// <summary>Whether <c>remove</c> is applied before <c>add</c> when both come in one update (unconfirmed in Braze).</summary>
    public bool RemoveBeforeAdd { get; set; }

    /// <summary>75 objects in total across attributes, events and purchases (newest Braze docs), or 75 in each.</summary>
    public ObjectLimitMode ObjectLimitMode { get; set; } = ObjectLimitMode.TotalAcrossArrays;

    public int MaxObjects { get; set; } = 75;

    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Braze states no code for success; third parties see 201.</summary>
    public int SuccessStatusCode { get; set; } = 201;

    /// <summary>Default of <c>_update_existing_only</c> for objects identified by external_id, email or phone
    /// (unconfirmed in Braze; the endpoint upserts). Objects identified by user_alias always default to true.</summary>
    public bool UpdateExistingOnlyDefault { get; set; }

    /// <summary>Strings longer than 255 characters are a per-object error (stricter) unless this is set, when they
    /// are cut to 255.</summary>
    public bool TruncateLongStrings { get; set; }

    /// <summary>External ids Braze refuses as placeholders ("dummy" ids), compared case-insensitively.</summary>
    public IList<string> BlockedExternalIds { get; } =
    [
        "dummy", "null", "nil", "none", "undefined", "unknown", "n/a", "na", "nan", "-1", "0", "(null)",
        "[object object]", "anonymous", "guest",
    ];

    /// <summary>Faults injected from the start; change them at run time with <c>POST /sim/faults</c>.</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>How many received requests <c>GET /sim/requests</c> keeps.</summary>
    public int RequestLogCapacity { get; set; } = 1000;

    /// <summary>Whether the request log keeps bodies (up to 64 KB each).</summary>
    public bool RecordRequestBodies { get; set; } = true;

    /// <summary>Clock for rate-limit windows, fault delays, campaign pacing and webhook backoff.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>First wait before a webhook retry; each later retry waits twice as long.</summary>
    public TimeSpan WebhookRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Webhook retries after the first attempt (Braze: up to five).</summary>
    public int WebhookMaxRetries { get; set; } = 5;

    /// <summary>Braze gives a webhook endpoint 90 seconds to answer.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Webhook requests sent at once by one campaign.</summary>
    public int WebhookConcurrency { get; set; } = 4;

    /// <summary>Header of the Braze id column in CSV exports; older exports say "Appboy ID".</summary>
    public string ExportIdHeader { get; set; } = "Braze ID";
}

/// <summary>What counts against <see cref="BrazeSimulatorOptions.MaxObjects"/>.</summary>
public enum ObjectLimitMode
{
    TotalAcrossArrays,
    PerArray,
}

/// <summary>Braze's two documented header conventions.</summary>
public enum RateLimitHeaderStyle
{
    /// <summary>Data-point contracts: <c>X-RateLimit-Reset</c> is the UTC epoch second the window ends.</summary>
    EpochReset,

    /// <summary>MAU contracts: <c>X-RateLimit-Reset</c> is the seconds left in the window, and a 429 carries
    /// <c>X-Ratelimit-Retry-After</c> (seconds).</summary>
    SecondsRemaining,
}

/// <summary>Which end of an over-long array attribute is kept.</summary>
public enum ArrayOverflow
{
    KeepFirst,
    KeepLast,
}
