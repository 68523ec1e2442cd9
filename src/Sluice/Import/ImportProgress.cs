namespace Sluice.Import;

/// <summary>
/// Live counters of an import, written by the importing loop and read by whoever reports it (the job API, the CLI's
/// progress bar). Plain fields read without locks: a report may be a row behind, never torn for 64-bit values.
/// </summary>
internal sealed class ImportProgress
{
    private long _rows;
    private long _stored;
    private long _rejected;
    private long _bytes;

    /// <summary>Rows read in this run, good and bad (rows skipped as already committed are not counted).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    public long Stored => Interlocked.Read(ref _stored);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Stored bytes read in this run, of every file.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The file being read and how far, or null between files.</summary>
    public (string Name, long Read, long Size)? Current { get; set; }

    public int FilesSeen { get; set; }

    public int FilesDone { get; set; }

    public int FilesSkipped { get; set; }

    public int FilesFailed { get; set; }

    public void AddRows(long stored, long rejected)
    {
        Interlocked.Add(ref _rows, stored + rejected);
        Interlocked.Add(ref _stored, stored);
        Interlocked.Add(ref _rejected, rejected);
    }

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);
}
