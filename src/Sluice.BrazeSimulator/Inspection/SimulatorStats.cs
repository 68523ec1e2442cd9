namespace Sluice.BrazeSimulator.Inspection;

/// <summary>Counters behind <c>GET /sim/stats</c>; lock-free so the hot path pays one interlocked add each.</summary>
internal sealed class SimulatorStats
{
    private long _requests;
    private long _accepted;
    private long _unauthorized;
    private long _forbidden;
    private long _rateLimited;
    private long _injectedRateLimited;
    private long _injectedServerErrors;
    private long _stalled;
    private long _droppedAfterApply;
    private long _badRequests;
    private long _attributes;
    private long _events;
    private long _purchases;
    private long _objectErrors;
    private long _dataPoints;
    private long _usersCreated;
    private long _skippedUpdateOnly;
    private long _nestedDropped;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Unauthorized() => Interlocked.Increment(ref _unauthorized);

    public void Forbidden() => Interlocked.Increment(ref _forbidden);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void InjectedRateLimited() => Interlocked.Increment(ref _injectedRateLimited);

    public void InjectedServerError() => Interlocked.Increment(ref _injectedServerErrors);

    public void Stalled() => Interlocked.Increment(ref _stalled);

    public void DroppedAfterApply() => Interlocked.Increment(ref _droppedAfterApply);

    public void BadRequest() => Interlocked.Increment(ref _badRequests);

    public void Processed(int attributes, int events, int purchases, int objectErrors, long dataPoints, int created, int skipped, int nestedDropped)
    {
        Interlocked.Add(ref _attributes, attributes);
        Interlocked.Add(ref _events, events);
        Interlocked.Add(ref _purchases, purchases);
        Interlocked.Add(ref _objectErrors, objectErrors);
        Interlocked.Add(ref _dataPoints, dataPoints);
        Interlocked.Add(ref _usersCreated, created);
        Interlocked.Add(ref _skippedUpdateOnly, skipped);
        Interlocked.Add(ref _nestedDropped, nestedDropped);
    }

    public StatsSnapshot Snapshot(int users)
    {
        var a = Interlocked.Read(ref _attributes);
        var e = Interlocked.Read(ref _events);
        var p = Interlocked.Read(ref _purchases);
        return new StatsSnapshot(
            Interlocked.Read(ref _requests), Interlocked.Read(ref _accepted), a + e + p, a, e, p,
            Interlocked.Read(ref _dataPoints), Interlocked.Read(ref _rateLimited), Interlocked.Read(ref _injectedRateLimited),
            Interlocked.Read(ref _injectedServerErrors), Interlocked.Read(ref _stalled), Interlocked.Read(ref _droppedAfterApply),
            Interlocked.Read(ref _unauthorized), Interlocked.Read(ref _forbidden), Interlocked.Read(ref _badRequests),
            Interlocked.Read(ref _objectErrors), Interlocked.Read(ref _usersCreated), Interlocked.Read(ref _skippedUpdateOnly),
            Interlocked.Read(ref _nestedDropped), users);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _forbidden, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
        Interlocked.Exchange(ref _injectedRateLimited, 0);
        Interlocked.Exchange(ref _injectedServerErrors, 0);
        Interlocked.Exchange(ref _stalled, 0);
        Interlocked.Exchange(ref _droppedAfterApply, 0);
        Interlocked.Exchange(ref _badRequests, 0);
        Interlocked.Exchange(ref _attributes, 0);
        Interlocked.Exchange(ref _events, 0);
        Interlocked.Exchange(ref _purchases, 0);
        Interlocked.Exchange(ref _objectErrors, 0);
        Interlocked.Exchange(ref _dataPoints, 0);
        Interlocked.Exchange(ref _usersCreated, 0);
        Interlocked.Exchange(ref _skippedUpdateOnly, 0);
        Interlocked.Exchange(ref _nestedDropped, 0);
    }
}

/// <summary>What <c>GET /sim/stats</c> returns. <see cref="DataPoints"/> follows Braze's legacy billing rules: one per
/// attribute set (even unchanged), per added array value, per remove call, per nested key, per event and purchase.</summary>
internal sealed record StatsSnapshot(
    long Requests,
    long Accepted,
    long Objects,
    long AttributesProcessed,
    long EventsProcessed,
    long PurchasesProcessed,
    long DataPoints,
    long RateLimited,
    long InjectedRateLimited,
    long InjectedServerErrors,
    long Stalled,
    long DroppedAfterApply,
    long Unauthorized,
    long Forbidden,
    long BadRequests,
    long ObjectErrors,
    long UsersCreated,
    long SkippedUpdateExistingOnly,
    long NestedUpdatesDropped,
    int Users);
