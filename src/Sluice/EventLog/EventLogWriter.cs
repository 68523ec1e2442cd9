using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sluice.Import;

namespace Sluice.EventLog;

/// <summary>
/// Group commit for the event log: requests queue their events, a single loop writes everything queued so far in
/// one transaction (one fsync), then completes every request in it. Under load many requests share a commit;
/// when idle a request commits alone with no added delay. On shutdown the queue is drained before the loop ends.
/// <para>
/// When requests arrive densely and the group is still small (at most half of
/// <see cref="EventLogOptions.GroupGatherEvents"/>), it gathers for a bounded moment before committing
/// (<see cref="EventLogOptions.GroupGatherWindow"/>): the fsync is most of a small commit's CPU, so a quiet machine's
/// webhook burst, whose groups would hold 6–15 requests, pays it over more of them. Whether the stream is dense is read
/// from the requests this group found queued and the time since the previous group stopped taking requests: that
/// gap between requests must be at most an eighth of the window. A lone request after a pause therefore commits at once,
/// and a gathering group commits as soon as no request came for four times that gap, the window ends, or it holds
/// <see cref="EventLogOptions.GroupGatherEvents"/>.
/// </para>
/// </summary>
internal sealed class EventLogWriter(
    IEventLog log, ILogger<EventLogWriter> logger, IMeterFactory meters, IOptions<EventLogOptions> options, TimeProvider time) : BackgroundService
{
    /// <summary>Upper bound of events per transaction, so one commit never holds the write lock for long.</summary>
    private const int MaxEventsPerCommit = 20_000;

    /// <summary>Requests resumed by one completion work item (see <see cref="Complete"/>).</summary>
    private const int ResumedPerWorkItem = 8;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4_096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Meter _meter = meters.Create("Sluice.EventLog");

    /// <summary>The gathering window in <see cref="TimeProvider.GetTimestamp"/> units (0: no gathering).</summary>
    private readonly long _gatherWindow = (long)(options.Value.GroupGatherWindow.TotalSeconds * time.TimestampFrequency);

    private readonly int _gatherEvents = options.Value.GroupGatherEvents;

    /// <summary>Set when the host stops: a gathering group commits at once, since nothing more is owed a place in it.</summary>
    private volatile bool _stopping;

    private Histogram<int> GroupSize => field ??= _meter.CreateHistogram<int>("sluice.eventlog.group_events", "{event}", "Events per group commit");

    private Histogram<double> CommitMs => field ??= _meter.CreateHistogram<double>("sluice.eventlog.commit_duration", "ms", "Time to write and commit one group");

    private Histogram<double> GatherUs => field ??= _meter.CreateHistogram<double>("sluice.eventlog.gather_duration", "us", "Time a group waited for more requests before committing (gathering groups only)");

    /// <summary>Reused by every commit: only the writer's loop touches it.</summary>
    private readonly Dictionary<int, long> _heads = [];

    /// <summary>
    /// Raised after each commit with the highest position written per partition. The dictionary is reused by the next
    /// commit: a handler reads it before it returns.
    /// </summary>
    public event Action<IReadOnlyDictionary<int, long>>? Committed;

    /// <summary>Requests queued and not yet taken into a group.</summary>
    internal int QueuedRequests => _queue.Reader.Count;

    /// <summary>Appends and returns the positions once they are durable.</summary>
    public Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken ct) => AppendAsync(events, null, ct);

    /// <summary>
    /// Appends for a request that only answers once the positions are back: it resumes on its group's completion work
    /// item, one after another with the rest of the group, instead of on a work item of its own (see <see cref="Complete"/>).
    /// </summary>
    public Task<long[]> AppendThenAnswerAsync(IReadOnlyList<NewEvent> events, CancellationToken ct) => AppendAsync(new Pending(events, null, resumeInGroup: true), ct);

    /// <summary>Appends with an import position that commits in the same transaction as the events.</summary>
    public Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, ImportCheckpoint? checkpoint, CancellationToken ct) =>
        AppendAsync(new Pending(events, checkpoint, resumeInGroup: false), ct);

    private Task<long[]> AppendAsync(Pending pending, CancellationToken ct)
    {
        // Not cancelled with the request once queued: the events will be committed, and the answer must say so.
        var queued = _queue.Writer.WriteAsync(pending, ct);
        return queued.IsCompletedSuccessfully ? pending.Done.Task : AfterQueuedAsync(queued, pending);
    }

    /// <summary>The queue was full: wait for room (cancellable until then), then for the commit.</summary>
    private static async Task<long[]> AfterQueuedAsync(ValueTask queued, Pending pending)
    {
        await queued;
        return await pending.Done.Task;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>();
        var events = new List<NewEvent>();
        var checkpoints = new List<ImportCheckpoint>();
        // When the previous group stopped taking requests: everything this group finds queued arrived since then.
        long? previousClosed = null;
        // The loop ends when the queue is completed and empty, not on the stopping token: queued events are owed a commit.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            events.Clear();
            checkpoints.Clear();
            var now = time.GetTimestamp();
            Drain(group, events, checkpoints);
            // Only a small group gathers: at half the target the fsync is already spread thin, and in a 64-connection
            // load whose groups were ~26 events gathering cost more CPU than it saved.
            if (_gatherWindow > 0 && previousClosed is { } closed && events.Count * 2 <= _gatherEvents && group.Count > 0)
            {
                var gap = (now - closed) / group.Count;
                // Dense: at least 8 requests expected in the window. The idle limit is 4 gaps, not 1 or 2: arrivals are uneven,
                // and at 2 gaps most gathers of a 64-connection load ended at the first longer gap without growing.
                if (gap * 8 <= _gatherWindow) await GatherAsync(group, events, checkpoints, now, 4 * Math.Max(gap, 1));
            }
            previousClosed = time.GetTimestamp();
            await CommitAsync(group, events, checkpoints);
        }
    }

    /// <summary>Moves what is queued into the group, up to <see cref="MaxEventsPerCommit"/>.</summary>
    private void Drain(List<Pending> group, List<NewEvent> events, List<ImportCheckpoint> checkpoints)
    {
        while (events.Count < MaxEventsPerCommit && _queue.Reader.TryRead(out var p))
        {
            group.Add(p);
            events.AddRange(p.Events);
            if (p.Checkpoint is not null) checkpoints.Add(p.Checkpoint);
        }
    }

    /// <summary>
    /// Takes the requests that arrive until the group holds <see cref="EventLogOptions.GroupGatherEvents"/>, the window
    /// from <paramref name="started"/> ends, or none came for <paramref name="idleLimit"/>. Timers cannot wait tens of
    /// microseconds, so it yields instead: to the thread pool's queued work (the requests on their way here run first),
    /// and to the operating system when the pool has none, so that a machine short of CPU spends it on those requests
    /// rather than on this loop.
    /// </summary>
    private async ValueTask GatherAsync(List<Pending> group, List<NewEvent> events, List<ImportCheckpoint> checkpoints, long started, long idleLimit)
    {
        var deadline = started + _gatherWindow;
        var lastArrival = started;
        var now = started;
        while (!_stopping)
        {
            if (ThreadPool.PendingWorkItemCount == 0) Thread.Yield();
            await Task.Yield();
            var before = group.Count;
            Drain(group, events, checkpoints);
            if (events.Count >= _gatherEvents) break;
            now = time.GetTimestamp();
            if (group.Count > before) lastArrival = now;
            if (now >= deadline || now - lastArrival >= idleLimit) break;
        }
        // Whatever was queued before the clock was last read goes with this group, so the window is what it says.
        Drain(group, events, checkpoints);
        GatherUs.Record((now - started) * 1e6 / time.TimestampFrequency);
    }

    private async Task CommitAsync(List<Pending> group, List<NewEvent> events, List<ImportCheckpoint> checkpoints)
    {
        var started = Stopwatch.GetTimestamp();
        long[] seqs;
        try
        {
            seqs = await log.AppendAsync(events, checkpoints, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Event log commit of {Events} events failed", events.Count);
            foreach (var p in group) p.Fail = e;
            Complete(group);
            return;
        }
        CommitMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        GroupSize.Record(events.Count);

        var offset = 0;
        var heads = _heads;
        heads.Clear();
        foreach (var p in group)
        {
            // A request that committed alone gets the log's array itself.
            var mine = group.Count == 1 ? seqs : seqs.AsSpan(offset, p.Events.Count).ToArray();
            for (var i = 0; i < p.Events.Count; i++)
            {
                heads[p.Events[i].Partition] = mine[i];
            }
            offset += p.Events.Count;
            p.Seqs = mine;
        }
        Complete(group);
        try
        {
            Committed?.Invoke(heads);
        }
        catch (Exception e)
        {
            // Notification is an optimisation: the periodic sweep picks up anything a failed notification missed.
            logger.LogWarning(e, "Notifying processors after a commit failed");
        }
    }

    /// <summary>
    /// Answers a committed group with one thread-pool work item per <see cref="ResumedPerWorkItem"/> requests, each
    /// resuming its requests one after another, instead of one work item per request: a webhook burst commits dozens of
    /// requests per group, and each hand-off to the pool (a queue, often a thread woken) cost more than the few
    /// microseconds the request has left to run. Several items rather than one, so that a thread descheduled while it
    /// answers holds up a few requests, not the group. The loop itself goes on to the next group meanwhile, so its
    /// fsync overlaps the answers.
    /// </summary>
    private static void Complete(List<Pending> group)
    {
        for (var from = 0; from < group.Count; from += ResumedPerWorkItem)
        {
            var chunk = group.GetRange(from, Math.Min(ResumedPerWorkItem, group.Count - from));
            ThreadPool.UnsafeQueueUserWorkItem(static done =>
            {
                foreach (var p in done)
                {
                    if (p.Fail is { } e) p.Done.TrySetException(e);
                    else p.Done.TrySetResult(p.Seqs!);
                }
            }, chunk, preferLocal: false);
        }
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    private sealed class Pending(IReadOnlyList<NewEvent> events, ImportCheckpoint? checkpoint, bool resumeInGroup)
    {
        public IReadOnlyList<NewEvent> Events { get; } = events;

        public ImportCheckpoint? Checkpoint { get; } = checkpoint;

        /// <summary>
        /// A collect request resumes on the group's completion work item (<see cref="Complete"/>); a bulk upload or an
        /// import, which parses its next rows before it awaits again, resumes on a work item of its own so as not to
        /// hold up the answers of the requests committed with it.
        /// </summary>
        public TaskCompletionSource<long[]> Done { get; } =
            new(resumeInGroup ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set by the writer's loop before the group is completed; read by the completion work item.</summary>
        public long[]? Seqs { get; set; }

        public Exception? Fail { get; set; }
    }
}
