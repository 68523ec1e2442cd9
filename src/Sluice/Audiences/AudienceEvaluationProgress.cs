using System.Collections.Concurrent;

namespace Sluice.Audiences;

/// <summary>
/// How far the background evaluation of an account's audiences over its existing profiles has come on this node
/// (after an audience is created or changed), for the API to show.
/// </summary>
internal sealed class AudienceEvaluationProgress(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Status> _accounts = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();

    public void Requested(string accountId) => Changed(_accounts[accountId] = new Status("running", 0, time.GetUtcNow(), null));

    public void Advanced(string accountId, long profilesSeen) => Changed(
        _accounts.AddOrUpdate(accountId, _ => new Status("running", profilesSeen, time.GetUtcNow(), null), (_, s) => s with { ProfilesSeen = profilesSeen }));

    public void Finished(string accountId) => Changed(_accounts.AddOrUpdate(accountId,
        _ => new Status("completed", 0, time.GetUtcNow(), time.GetUtcNow()), (_, s) => s with { State = "completed", Finished = time.GetUtcNow() }));

    public void Failed(string accountId) => Changed(_accounts.AddOrUpdate(accountId,
        _ => new Status("failed", 0, time.GetUtcNow(), time.GetUtcNow()), (_, s) => s with { State = "failed", Finished = time.GetUtcNow() }));

    public Status? For(string accountId) => _accounts.TryGetValue(accountId, out var s) ? s : null;

    /// <summary>Completes once the account's status satisfies <paramref name="until"/> (for callers that must not poll).</summary>
    public async Task WaitAsync(string accountId, Func<Status, bool> until, CancellationToken ct)
    {
        while (true)
        {
            // Take the signal before reading, so that a change between the read and the wait is not missed.
            var changed = Volatile.Read(ref _changed).Task;
            if (For(accountId) is { } status && until(status)) return;
            await changed.WaitAsync(ct);
        }
    }

    private void Changed(Status _) => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A run's state (<c>running</c>, <c>completed</c>, <c>failed</c>), the profiles it has gone through (in pages), and when.</summary>
    internal sealed record Status(string State, long ProfilesSeen, DateTimeOffset Started, DateTimeOffset? Finished);
}
