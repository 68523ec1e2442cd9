using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Sluice.Export.Braze;

/// <summary>
/// One <see cref="WorkspaceRateLimiter"/> per Braze workspace (<see cref="BrazeWorkspace.Key"/>) for the whole
/// process, so that every job exporting to the same workspace shares its budget.
/// </summary>
internal sealed class BrazeRateLimiters(IOptions<BrazeOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<WorkspaceRateLimiter>> _limiters = new(StringComparer.Ordinal);

    public WorkspaceRateLimiter For(string workspaceKey) =>
        _limiters.GetOrAdd(workspaceKey, key => new Lazy<WorkspaceRateLimiter>(() => new WorkspaceRateLimiter(key, options.Value, time))).Value;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values.Where(l => l.IsValueCreated)) limiter.Value.Dispose();
    }
}
