using System.Text.Json.Serialization;

namespace Sluice.BrazeSimulator.Campaigns;

/// <summary>Body of <c>POST /sim/campaigns</c>. URL, headers and body are Liquid templates.</summary>
internal sealed record CampaignRequest(
    string? Name,
    string Url,
    string? Method,
    Dictionary<string, string>? Headers,
    string? Body,
    string? Segment,
    [property: JsonPropertyName("rate_per_minute")] int? RatePerMinute);

/// <summary>A webhook campaign being sent; counters change while it runs.</summary>
internal sealed class Campaign(string id, string name, string dispatchId)
{
    private readonly Lock _gate = new();
    private readonly List<DeliveryFailure> _failures = [];
    private long _delivered;
    private long _failed;
    private long _attempts;
    private long _retries;
    private long _backoffs;

    public string Id { get; } = id;

    public string Name { get; } = name;

    public string DispatchId { get; } = dispatchId;

    public int Total { get; set; }

    private string _status = "sending";

    /// <summary>"sending", then "completed" (or "canceled" when the simulator stops first).</summary>
    public string Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    public void Attempted() => Interlocked.Increment(ref _attempts);

    public void Retried() => Interlocked.Increment(ref _retries);

    public void BackoffScheduled() => Interlocked.Increment(ref _backoffs);

    public void Delivered() => Interlocked.Increment(ref _delivered);

    public void Failed(DeliveryFailure failure)
    {
        Interlocked.Increment(ref _failed);
        lock (_gate)
        {
            // Enough to diagnose; a campaign to a dead host must not grow without bound.
            if (_failures.Count < 100)
            {
                _failures.Add(failure);
            }
        }
    }

    public CampaignStatus Snapshot()
    {
        lock (_gate)
        {
            return new CampaignStatus(Id, Name, DispatchId, Status, Total, Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed),
                Interlocked.Read(ref _attempts), Interlocked.Read(ref _retries), Interlocked.Read(ref _backoffs), [.. _failures]);
        }
    }
}

/// <summary>What <c>GET /sim/campaigns/{id}</c> returns. <see cref="BackoffsScheduled"/> counts retry waits that have
/// begun, so a test driving a fake clock knows when advancing it will release one.</summary>
internal sealed record CampaignStatus(
    string Id,
    string Name,
    string DispatchId,
    string Status,
    int Total,
    long Delivered,
    long Failed,
    long Attempts,
    long Retries,
    long BackoffsScheduled,
    IReadOnlyList<DeliveryFailure> Failures);

/// <summary>A user whose webhook was not received: the last status (0 for timeouts and network errors).</summary>
internal sealed record DeliveryFailure(string? UserId, string BrazeId, int Status, int Attempts, string Reason);
