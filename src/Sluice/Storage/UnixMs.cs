namespace Sluice.Storage;

/// <summary>Times are stored as Unix milliseconds so that both providers share one representation.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? To(long? ms) => ms is { } v ? To(v) : null;
}
