using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sluice.EventLog;
using Sluice.Import;

namespace Sluice.Tests;

/// <summary>
/// The log writer's gathering of a group commit, on a clock that only moves when a test moves it: a group can only stop
/// gathering on time when the test advances the clock, so what shares a commit is decided by the test's steps, not by
/// how fast the machine is.
/// </summary>
public sealed class EventLogGatherTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();
    private readonly HeldLog _log = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private EventLogWriter? _writer;

    [Fact]
    public async Task A_lone_request_and_one_after_a_pause_commit_alone_while_the_clock_stands_still()
    {
        var writer = await StartAsync(new EventLogOptions());
        _log.Release.SetResult();

        await Append(writer).WaitAsync(Patience);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Append(writer).WaitAsync(Patience);

        Assert.Equal([1, 1], _log.Groups);
    }

    [Fact]
    public async Task In_a_dense_stream_a_request_queued_after_the_group_was_taken_joins_it_until_the_clock_ends_the_gathering()
    {
        var writer = await StartAsync(new EventLogOptions());
        var (b, c) = await TwoQueuedWithinMicrosecondsAsync(writer);
        Assert.True(SpinWait.SpinUntil(() => writer.QueuedRequests == 0, Patience));

        var d = Append(writer);
        // The clock has not moved since the group was taken, and it holds 2 of 32 events: it cannot have committed.
        Assert.Single(_log.Groups);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(b, c, d).WaitAsync(Patience);

        Assert.Equal([1, 3], _log.Groups);
    }

    [Fact]
    public async Task A_gathering_group_commits_once_it_holds_the_set_number_of_events_without_the_clock_moving()
    {
        var writer = await StartAsync(new EventLogOptions { GroupGatherEvents = 4 });
        var (b, c) = await TwoQueuedWithinMicrosecondsAsync(writer);
        Assert.True(SpinWait.SpinUntil(() => writer.QueuedRequests == 0, Patience));

        await Task.WhenAll(b, c, Append(writer), Append(writer)).WaitAsync(Patience);

        Assert.Equal([1, 4], _log.Groups);
    }

    [Fact]
    public async Task A_group_past_half_the_set_number_of_events_commits_without_the_clock_moving()
    {
        var writer = await StartAsync(new EventLogOptions { GroupGatherEvents = 3 });
        var (b, c) = await TwoQueuedWithinMicrosecondsAsync(writer);

        await Task.WhenAll(b, c).WaitAsync(Patience);

        Assert.Equal([1, 2], _log.Groups);
    }

    [Fact]
    public async Task With_a_zero_window_a_dense_stream_commits_what_was_queued_without_the_clock_moving()
    {
        var writer = await StartAsync(new EventLogOptions { GroupGatherWindow = TimeSpan.Zero });
        var (b, c) = await TwoQueuedWithinMicrosecondsAsync(writer);

        await Task.WhenAll(b, c).WaitAsync(Patience);

        Assert.Equal([1, 2], _log.Groups);
    }

    [Fact]
    public async Task Stopping_commits_a_gathering_group_without_the_clock_moving()
    {
        var writer = await StartAsync(new EventLogOptions());
        var (b, c) = await TwoQueuedWithinMicrosecondsAsync(writer);
        Assert.True(SpinWait.SpinUntil(() => writer.QueuedRequests == 0, Patience));

        await writer.StopAsync(CancellationToken.None).WaitAsync(Patience);

        await Task.WhenAll(b, c).WaitAsync(Patience);
        Assert.Equal([1, 2], _log.Groups);
    }

    /// <summary>
    /// A commits alone and is held in the log while B and C queue 20 µs apart on the clock, then released: the next
    /// group finds B and C, one request per 10 µs since A's group was taken, which is a dense stream.
    /// </summary>
    private async Task<(Task<long[]> B, Task<long[]> C)> TwoQueuedWithinMicrosecondsAsync(EventLogWriter writer)
    {
        var a = Append(writer);
        await _log.FirstHeld.Task.WaitAsync(Patience);
        var b = Append(writer);
        var c = Append(writer);
        _clock.Advance(TimeSpan.FromMicroseconds(20));
        _log.Release.SetResult();
        await a.WaitAsync(Patience);
        return (b, c);
    }

    private async Task<EventLogWriter> StartAsync(EventLogOptions options)
    {
        _writer = new EventLogWriter(_log, NullLogger<EventLogWriter>.Instance, _services.GetRequiredService<IMeterFactory>(), Options.Create(options), _clock);
        await _writer.StartAsync(CancellationToken.None);
        return _writer;
    }

    private static Task<long[]> Append(EventLogWriter writer) =>
        writer.AppendAsync([new NewEvent("acct", 0, "s", 1, 1, Encoding.UTF8.GetBytes("{}"))], CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _log.Release.TrySetResult();
        if (_writer is not null)
        {
            await _writer.StopAsync(CancellationToken.None);
            _writer.Dispose();
        }
        await _services.DisposeAsync();
    }

    /// <summary>Records each group's size; holds the first commit until released, so that requests queue behind it.</summary>
    private sealed class HeldLog : IEventLog
    {
        private long _next = 1;

        public ConcurrentQueue<int> Groups { get; } = new();

        public TaskCompletionSource FirstHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<long[]> AppendAsync(IReadOnlyList<NewEvent> events, IReadOnlyList<ImportCheckpoint> checkpoints, CancellationToken ct)
        {
            Groups.Enqueue(events.Count);
            var first = _next;
            _next += events.Count;
            if (Groups.Count == 1)
            {
                FirstHeld.SetResult();
                await Release.Task;
            }
            return [.. Enumerable.Range(0, events.Count).Select(i => first + i)];
        }

        public Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long afterSeq, int limit, CancellationToken ct) => throw new NotSupportedException();

        public Task<long> HeadAsync(int partition, CancellationToken ct) => throw new NotSupportedException();

        public Task<long> CountAsync(string accountId, CancellationToken ct) => throw new NotSupportedException();

        public Task<long?> ReceivedAfterAsync(int partition, long afterSeq, CancellationToken ct) => throw new NotSupportedException();

        public IAsyncEnumerable<LoggedEvent> ScanAccountAsync(string accountId, CancellationToken ct) => throw new NotSupportedException();

        public Task<int> DeleteAsync(IReadOnlyCollection<long> seqs, CancellationToken ct) => throw new NotSupportedException();
    }
}
