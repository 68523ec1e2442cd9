namespace Sluice.Import;

/// <summary>
/// A file that cannot be imported as it is (encrypted with no key to open it, not a valid archive): retrying will not
/// help, so the file is recorded as failed with this reason and the job goes on with the next one.
/// </summary>
internal sealed class ImportFileException(string message, Exception? inner = null) : Exception(message, inner);
