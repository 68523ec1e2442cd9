using System.Data.Common;

namespace Sluice.Processing.DeadLetters;

/// <summary>
/// Tells a failure an event caused (its content broke a mapping, a conversion or a profile) from one of the
/// machinery (the store, the disk, shutdown, another node): the first sets the event aside, the second retries.
/// Unknown exceptions count as the event's: a wrongly set-aside event can be replayed, a stalled partition helps nobody.
/// </summary>
internal static class EventFault
{
    public static bool IsCausedByInput(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.All(IsCausedByInput),
        DbException or IOException or OperationCanceledException or TimeoutException or OutOfMemoryException
            or ObjectDisposedException or PartitionMovedException => false,
        _ => true,
    };

    /// <summary>What a dead letter records of the error: its type and first line, bounded.</summary>
    public static string Describe(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: > 0 } a) e = a.InnerExceptions[0];
        var message = e.Message.ReplaceLineEndings(" ");
        return $"{e.GetType().Name}: {(message.Length > 300 ? message[..300] + "..." : message)}";
    }
}
