namespace Sluice.BrazeSimulator.Inspection;

/// <summary>The last N REST requests, newest last, for <c>GET /sim/requests</c>.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(RequestLogEntry entry)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Count >= capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Latest(int limit)
    {
        lock (_gate)
        {
            return _entries.Skip(Math.Max(0, _entries.Count - limit)).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}

/// <summary>One received request. <see cref="Status"/> is 0 when the connection was dropped or the client gave up.</summary>
internal sealed record RequestLogEntry(
    long Id,
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    int Status,
    double DurationMs,
    int Objects,
    int ObjectErrors,
    string? Fault,
    string? Body);
