using System.Diagnostics;

namespace Sluice.Hosting;

/// <summary>
/// Drops one false alarm of the Orleans silo watchdog at startup: "Participant check thread has not completed for
/// 02:48:08 ... deadlock". Its cause is a race in the watchdog's start: the platform thread is started, and may run
/// its first check, before the component thread's timestamp is set, so it measures from zero, that is from when the
/// machine's monotonic clock began (about the machine's uptime). A busy machine (two cores, a build running) loses
/// the race often. The message is dropped only when the stall it reports is longer than this process has existed,
/// which no real stall can be; every other watchdog message, and a real stall, is logged as before.
/// </summary>
internal sealed class WatchdogStartupRace(ILogger inner, TimeProvider time, DateTimeOffset processStarted) : ILogger
{
    private const string Message = "Participant check thread has not completed";

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsStartupRace(state)) return;
        inner.Log(logLevel, eventId, state, exception, formatter);
    }

    private bool IsStartupRace<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return false;
        string? format = null;
        TimeSpan? stall = null;
        foreach (var (key, value) in values)
        {
            if (key == "{OriginalFormat}") format = value as string;
            else if (value is TimeSpan t) stall = t;
        }
        return format is not null && format.StartsWith(Message, StringComparison.Ordinal)
            && stall is { } s && s > time.GetUtcNow() - processStarted;
    }

    /// <summary>The <see cref="ILogger{T}"/> shape the watchdog asks for, around the filter.</summary>
    internal sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}

internal static class WatchdogStartupRaceFilter
{
    /// <summary>Puts the filter in front of the watchdog's logger (an Orleans internal type, found by name).</summary>
    public static IServiceCollection AddWatchdogStartupRaceFilter(this IServiceCollection services)
    {
        var watchdog = typeof(Orleans.Runtime.Silo).Assembly.GetType("Orleans.Runtime.Watchdog");
        if (watchdog is null) return services; // Orleans changed: nothing to filter, nothing breaks.
        using var process = Process.GetCurrentProcess();
        var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        services.AddSingleton(typeof(ILogger<>).MakeGenericType(watchdog), sp => Activator.CreateInstance(
            typeof(WatchdogStartupRace.Typed<>).MakeGenericType(watchdog),
            new WatchdogStartupRace(sp.GetRequiredService<ILoggerFactory>().CreateLogger(watchdog), TimeProvider.System, started))!);
        return services;
    }
}
