using System.ComponentModel.DataAnnotations;

namespace Sluice.EventLog;

/// <summary>The event log's group commit (section <c>Sluice:EventLog</c>).</summary>
internal sealed class EventLogOptions
{
    /// <summary>
    /// Longest a group commit waits for more requests once requests arrive densely (zero: never waits, every group
    /// commits what was queued when the last commit ended). Each commit pays one fsync, about 170–250 µs of CPU on a
    /// small virtual machine, so a webhook burst's cost per request is set by how many requests share it: on a quiet
    /// machine groups of 6–15 single-event requests pay 15–30 µs each. A few hundred microseconds of gathering doubles
    /// such groups for a fraction of a millisecond of latency; a stream that is not dense (fewer requests than one per
    /// eighth of this window, i.e. under 20,000 a second at 400 µs) never waits, and a group stops gathering as soon as
    /// no request arrived for four times the stream's recent gap between requests (see <see cref="EventLogWriter"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.010")]
    public TimeSpan GroupGatherWindow { get; set; } = TimeSpan.FromMicroseconds(400);

    /// <summary>
    /// Events at which a group stops gathering and commits: past about 32 the fsync is a few microseconds per event, and
    /// a larger group only holds its first requests longer.
    /// </summary>
    [Range(1, 20_000)]
    public int GroupGatherEvents { get; set; } = 32;
}
