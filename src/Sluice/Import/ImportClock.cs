namespace Sluice.Import;

/// <summary>
/// The clock that schedules polling imports. Its own service so that a test can run the schedule on a fake clock
/// without moving token expiry or processing timers with it; by default it is the node's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ImportClock(TimeProvider time)
{
    public TimeProvider Time => time;
}
