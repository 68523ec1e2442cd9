namespace Sluice.Collect.Bulk;

/// <summary>
/// A compressed upload inflated past a limit. An <see cref="IOException"/>, since it ends the input as a cut
/// connection does: the rows read before it are kept, and nothing after it is read.
/// </summary>
internal sealed class InflationLimitException(string message) : IOException(message);
