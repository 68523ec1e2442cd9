using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sluice.Auth;

/// <summary>
/// Limits failed authentications per client address: each one takes a permit from the client's limiter for the
/// current minute (<see cref="AuthOptions.FailedAttemptsPerMinute"/> permits). A client without permits is refused
/// before its token is looked up, so guessing tokens costs the store nothing.
/// </summary>
/// <remarks>
/// Each client gets a <see cref="FixedWindowRateLimiter"/> for the current one-minute window. Windows are ended by a
/// timer on the server's <see cref="TimeProvider"/> rather than by the limiters' own stopwatch, so that they follow
/// the server's clock (and a test's fake one); ending a window drops every limiter, which also keeps memory to the
/// clients that failed within the last minute. IPv6 clients are grouped by their /64, the block one subscriber
/// usually holds, so that rotating through one's own addresses buys no extra attempts.
/// </remarks>
internal sealed class FailedAuthThrottle : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IPAddress, FixedWindowRateLimiter> _clients = [];
    private readonly Lock _lock = new();
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly ITimer? _windows;
    private DateTimeOffset _windowEnds;

    public FailedAuthThrottle(IOptions<AuthOptions> options, TimeProvider time)
    {
        _limit = options.Value.FailedAttemptsPerMinute;
        _time = time;
        if (_limit == 0) return;
        _windowEnds = time.GetUtcNow() + Window;
        _windows = time.CreateTimer(_ => NextWindow(), null, Window, Window);
    }

    /// <summary>How long until a client without permits gets new ones (at least a second).</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_lock)
            {
                var left = _windowEnds - _time.GetUtcNow();
                return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>Whether a failure of this client would still be answered (as a 401) rather than refused (429).</summary>
    public bool HasPermits(IPAddress? client)
    {
        if (_windows is null) return true;
        lock (_lock)
        {
            return !_clients.TryGetValue(Key(client), out var limiter) || limiter.GetStatistics()!.CurrentAvailablePermits > 0;
        }
    }

    /// <summary>Counts a failed authentication of the client; false when it had no permit left for it.</summary>
    public bool TryConsume(IPAddress? client)
    {
        if (_windows is null) return true;
        lock (_lock)
        {
            var key = Key(client);
            if (!_clients.TryGetValue(key, out var limiter)) _clients[key] = limiter = NewLimiter();
            using var lease = limiter.AttemptAcquire();
            return lease.IsAcquired;
        }
    }

    private FixedWindowRateLimiter NewLimiter() => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = _limit,
        // The window is ended by the timer (see the remarks), never by the limiter itself.
        Window = Window,
        AutoReplenishment = false,
        QueueLimit = 0,
    });

    private void NextWindow()
    {
        lock (_lock)
        {
            _windowEnds = _time.GetUtcNow() + Window;
            foreach (var limiter in _clients.Values) limiter.Dispose();
            _clients.Clear();
        }
    }

    /// <summary>The address a limiter belongs to: IPv4 as is (also when mapped into IPv6), IPv6 by its /64.</summary>
    private static IPAddress Key(IPAddress? client)
    {
        if (client is null) return IPAddress.None;
        if (client.IsIPv4MappedToIPv6) return client.MapToIPv4();
        if (client.AddressFamily != AddressFamily.InterNetworkV6) return client;
        Span<byte> bytes = stackalloc byte[16];
        client.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    public void Dispose()
    {
        _windows?.Dispose();
        NextWindow();
    }
}
