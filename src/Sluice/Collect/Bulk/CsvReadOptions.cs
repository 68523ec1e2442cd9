namespace Sluice.Collect.Bulk;

/// <summary>How to read a CSV upload or file.</summary>
internal sealed record CsvReadOptions
{
    /// <summary>The field separator; null detects it from the first line among <c>,</c> <c>\t</c> <c>|</c> <c>;</c>.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Column names when the input has no header row; null when its first row is the header.</summary>
    public IReadOnlyList<string>? Headers { get; init; }

    /// <summary>Members added to every row.</summary>
    public RowAppend? Append { get; init; }

    /// <summary>The text encoding of the bytes: null for UTF-8 (a BOM is skipped), or a single-byte one such as Latin-1.</summary>
    public System.Text.Encoding? Encoding { get; init; }

    /// <summary>A row larger than this stops reading: it is almost always a quote that is never closed.</summary>
    public int MaxRowBytes { get; init; } = 1024 * 1024;
}
