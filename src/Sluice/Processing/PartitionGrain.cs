using Sluice.Audiences;
using Sluice.Profiles;

namespace Sluice.Processing;

/// <summary>
/// Drains a partition of the log through <see cref="ProfileProcessor"/>. Orleans guarantees one activation per
/// partition in the cluster, which is what makes the processor the only writer of its partition's position. The
/// partition's in-memory state belongs to the activation: created with it, released when it deactivates.
/// </summary>
internal sealed class PartitionGrain(
    ProfileProcessor processor, ProfileDeletion deletion, IProfileStore store, PartitionHealth health, AudienceEvaluationProgress progress,
    TimeProvider time, ILogger<PartitionGrain> log) : Grain, IPartitionGrain
{
    private const int ReevaluationPage = 1000;

    private readonly HashSet<string> _reevaluate = new(StringComparer.Ordinal);
    private Task _reevaluation = Task.CompletedTask;
    private readonly CancellationTokenSource _stopping = new();
    private PartitionState _state = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new PartitionState((int)this.GetPrimaryKeyLong());
        // Time-relative audiences: a cheap look at the earliest scheduled instant every second. The sweeper's
        // notifications keep the activation alive, and with it this timer.
        this.RegisterGrainTimer(FireDueTimersAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        return Task.CompletedTask;
    }

    private async Task FireDueTimersAsync(CancellationToken ct)
    {
        if (!_state.IsLoaded || _state.Timers.NextDueMs is not { } due || due > time.GetUtcNow().ToUnixTimeMilliseconds()) return;
        await _turn.WaitAsync(_stopping.Token);
        try
        {
            await Task.Run(() => processor.FireDueTimersAsync(_state, _stopping.Token), _stopping.Token);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            log.LogError(e, "Re-evaluating time-relative audiences in partition {Partition} failed; the next tick retries", _state.Partition);
        }
        finally
        {
            _turn.Release();
        }
    }

    // Batches and deletes take turns: a delete must not interleave with a batch that could re-create the profile.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Task _drain = Task.CompletedTask;
    private bool _pending;

    public Task NotifyAsync(long position)
    {
        _pending = true;
        // The drain runs on this activation's scheduler, so _pending needs no lock; at most one drain runs at a time.
        if (_drain.IsCompleted) _drain = DrainAsync();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_drain, _reevaluation).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The batch in flight rolls back and is replayed by the next activation.
        }
        await _state.DisposeAsync();
        _stopping.Dispose();
        _turn.Dispose();
    }

    public async Task<long?> FindProfileAsync(string accountId, string name, string value)
    {
        var state = await LoadedStateAsync();
        return state.Index.TryGet(accountId, name, value, out var row) ? row.ProfileId : null;
    }

    public async Task<ProfileSnapshot?> GetProfileAsync(string accountId, long profileId)
    {
        var state = await LoadedStateAsync();
        var id = state.Profiles.Resolve(profileId);
        if (state.Profiles.Snapshot(id) is { } cached) return cached.AccountId == accountId ? cached : null;
        // Not changed since the last checkpoint (or evicted): the store has it as processing left it.
        var stored = await store.LoadRowAsync(accountId, id, _stopping.Token);
        return stored is null ? null : ProfileSnapshot.From(stored);
    }

    public async Task<Dictionary<long, ProfileSnapshot>> GetProfilesAsync(string accountId, long[] profileIds)
    {
        var state = await LoadedStateAsync();
        var found = new Dictionary<long, ProfileSnapshot>(profileIds.Length);
        var missing = new List<long>();
        foreach (var id in profileIds)
        {
            // Merged away since the last checkpoint: absent, as a merged-away profile is from the store below.
            if (state.Profiles.Resolve(id) != id) continue;
            if (state.Profiles.Snapshot(id) is { } cached)
            {
                if (cached.AccountId == accountId) found[id] = cached;
            }
            else
            {
                missing.Add(id);
            }
        }
        foreach (var row in await store.LoadRowsAsync(missing, _stopping.Token))
        {
            if (row.AccountId == accountId) found[row.Id] = ProfileSnapshot.From(row);
        }
        return found;
    }

    /// <summary>The partition's state, loaded on first use on this node in turn with batches (which load it the same way).</summary>
    private async Task<PartitionState> LoadedStateAsync()
    {
        var state = _state;
        if (state.IsLoaded) return state;
        await _turn.WaitAsync(_stopping.Token);
        try
        {
            if (!state.IsLoaded) await Task.Run(() => processor.StateAsync(state, _stopping.Token), _stopping.Token);
            return state;
        }
        finally
        {
            _turn.Release();
        }
    }

    public Task ReevaluateAsync(string accountId)
    {
        _reevaluate.Add(accountId);
        progress.Requested(accountId);
        if (_reevaluation.IsCompleted) _reevaluation = ReevaluateAllAsync();
        return Task.CompletedTask;
    }

    private async Task ReevaluateAllAsync()
    {
        var ct = _stopping.Token;
        while (_reevaluate.Count > 0 && !ct.IsCancellationRequested)
        {
            var account = _reevaluate.First();
            _reevaluate.Remove(account);
            try
            {
                long? after = 0;
                var pages = 0;
                while (after is { } from && !ct.IsCancellationRequested)
                {
                    after = await Task.Run(() => ReevaluatePageAsync(account, from, ct), ct);
                    progress.Advanced(account, ++pages * ReevaluationPage);
                    DelayDeactivation(TimeSpan.FromMinutes(1));
                }
                progress.Finished(account);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                progress.Failed(account);
                log.LogError(e, "Re-evaluating the audiences of account {Account} in partition {Partition} failed", account, _state.Partition);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<long?> ReevaluatePageAsync(string accountId, long afterId, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            return await processor.ReevaluateAsync(_state, accountId, afterId, ReevaluationPage, ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task<int> DeleteProfileAsync(string accountId, long profileId)
    {
        await _turn.WaitAsync(_stopping.Token);
        try
        {
            var (deleted, events) = await Task.Run(() => deletion.DeleteAsync(_state, accountId, profileId, _stopping.Token), _stopping.Token);
            return deleted ? events : -1;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<int> BatchAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            return await processor.ProcessBatchAsync(_state, ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task DrainAsync()
    {
        var partition = _state.Partition;
        var ct = _stopping.Token;
        while (_pending && !ct.IsCancellationRequested)
        {
            _pending = false;
            try
            {
                // Microsoft.Data.Sqlite does its I/O synchronously even behind async methods: run batches on the
                // thread pool so that a long batch never holds one of Orleans' scheduler threads.
                // Until the partition is at the head of the log: a batch that read less than a full batch was.
                while (await Task.Run(() => BatchAsync(ct), ct) > 0 && !_state.CaughtUp)
                {
                    health.Succeeded(partition);
                    // Keep the activation alive while there is a backlog.
                    DelayDeactivation(TimeSpan.FromMinutes(1));
                }
                health.Succeeded(partition);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The store or the disk failed (an event that fails is set aside instead): the batch rolled back, and
                // the periodic sweep notifies again, so the partition retries without a hot loop.
                health.Failed(partition, e);
                log.LogError(e, "Processing partition {Partition} failed; it will be retried", partition);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
