namespace Sluice.Processing.DeadLetters;

/// <summary>
/// An event set aside because mapping or applying it threw: its log position, where it belongs, the stage that
/// failed (<c>map</c> or <c>apply</c>), and the error's type and message.
/// </summary>
internal sealed record DeadLetter(long Seq, string AccountId, int Partition, string Stream, string Stage, string Reason, long AtMs);
