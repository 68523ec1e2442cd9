using System.ComponentModel.DataAnnotations;

namespace Sluice.Export.Braze;

/// <summary><c>Sluice:Braze:*</c>: how Sluice talks to Braze's REST API.</summary>
internal sealed class BrazeOptions
{
    /// <summary>How long one attempt may take before it is abandoned and retried (Braze answers in well under a second).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's wait; each later one waits about twice as long, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests in flight at once per workspace, once its budget is known (one before that).</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Share of the budget Braze announces that Sluice uses at most, leaving room for timing noise.</summary>
    [Range(0.1, 1.0)]
    public double BudgetShare { get; set; } = 0.95;

    /// <summary>How long a connection test (<c>POST /api/auth/{id}/test</c>) waits for Braze.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
