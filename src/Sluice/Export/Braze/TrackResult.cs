namespace Sluice.Export.Braze;

/// <summary>How Braze finally answered one <c>/users/track</c> request, after the client's own retries.</summary>
internal enum TrackOutcome
{
    /// <summary>2xx: applied, except the objects listed in <see cref="TrackResult.Errors"/>.</summary>
    Delivered,

    /// <summary>401: the key is wrong, or belongs to another instance. The job pauses.</summary>
    Unauthorized,

    /// <summary>403: the key lacks the <c>users.track</c> permission. The job pauses.</summary>
    Forbidden,

    /// <summary>400 (or 413) for the whole request: some object in it is refused; split the batch to find which.</summary>
    Rejected,
}

/// <summary>
/// The outcome of one request: for <see cref="TrackOutcome.Delivered"/>, the objects Braze refused (their index in the
/// request's <c>attributes</c> array and Braze's message); otherwise Braze's message for the whole request. Plus how
/// many attempts the request took (429s, 5xx, timeouts and resets are retried inside the client, without limit).
/// </summary>
internal sealed record TrackResult(TrackOutcome Outcome, IReadOnlyList<(int Index, string Message)> Errors, string? Message, int Attempts)
{
    /// <summary>How many of the attempts Braze answered 429.</summary>
    public int RateLimited { get; init; }
}
