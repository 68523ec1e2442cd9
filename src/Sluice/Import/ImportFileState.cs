namespace Sluice.Import;

/// <summary>
/// Where the import of one file stands, as committed with its events: rows read so far (good and bad, in file order),
/// how many were stored and refused, and once finished its content hash. A file is known by <see cref="FileKey"/>
/// (name, size and modification time); an unchanged file under a new time is recognised by its hash.
/// </summary>
internal sealed record ImportFileState(
    string AccountId, string JobId, string FileKey, string Name, long Size, long ModifiedMs,
    long Rows, long Stored, long Rejected, string Status, string? Hash, long UpdatedMs)
{
    /// <summary>Partly imported: rows up to <see cref="Rows"/> are committed.</summary>
    public const string Importing = "importing";

    /// <summary>Every row committed.</summary>
    public const string Done = "done";

    /// <summary>Not imported: the same content as a file already done.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Stopped for good: the file cannot be read any further (its last refused row says why).</summary>
    public const string Failed = "failed";

    public bool Finished => Status is Done or Duplicate or Failed;

    public static string KeyOf(ImportFile file) => $"{file.Path}|{file.Size}|{file.Modified.ToUnixTimeMilliseconds()}";
}
