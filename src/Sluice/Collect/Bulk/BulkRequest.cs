using Microsoft.Extensions.Primitives;

namespace Sluice.Collect.Bulk;

/// <summary>
/// What a bulk upload request asks for: its format and compression (from Content-Type, Content-Encoding and the
/// <c>filename</c>), and the Lytics bulk parameters <c>headers</c>, <c>delimiter</c> and <c>append</c>.
/// </summary>
internal sealed record BulkRequest(BulkFormat Format, bool Gzip, string ContentType, CsvReadOptions Csv, RowAppend? Append, CollectParameters Parameters)
{
    private static readonly string[] CsvTypes = ["text/csv", "application/csv", "text/tab-separated-values"];

    private static readonly string[] NdjsonTypes =
        ["application/x-ndjson", "application/ndjson", "application/json", "application/jsonl", "application/x-jsonlines"];

    private static readonly string[] GzipTypes = ["application/gzip", "application/x-gzip"];

    public static BulkRequest? From(HttpRequest request, out CollectError? error)
    {
        error = null;
        var p = CollectParameters.From(request.Query);
        var q = request.Query;
        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var gzip = encoding is "gzip" or "x-gzip" || GzipTypes.Contains(mediaType);
        if (encoding.Length > 0 && encoding is not ("gzip" or "x-gzip" or "identity"))
        {
            error = new CollectError(415, $"unsupported content encoding \"{encoding}\": send the body plain or gzip-compressed (Content-Encoding: gzip)");
            return null;
        }

        var hasCsvParams = !StringValues.IsNullOrEmpty(q["headers"]) || !StringValues.IsNullOrEmpty(q["delimiter"]);
        BulkFormat? format = CsvTypes.Contains(mediaType) ? BulkFormat.Csv
            : NdjsonTypes.Contains(mediaType) ? BulkFormat.Ndjson
            : FromFilename(p.Filename) ?? (GzipTypes.Contains(mediaType) && hasCsvParams ? BulkFormat.Csv : null);
        if (format is not { } f)
        {
            error = new CollectError(415,
                $"unsupported content type \"{mediaType}\": send CSV (text/csv) or NDJSON (application/x-ndjson), optionally gzip-compressed " +
                "(Content-Encoding: gzip, or application/gzip with filename=name.csv.gz)");
            return null;
        }

        string? appendError = null;
        var append = (string?)q["append"] is { Length: > 0 } appendJson ? RowAppend.Parse(appendJson, out appendError) : null;
        if (appendError is not null)
        {
            error = new CollectError(400, appendError);
            return null;
        }
        var csv = new CsvReadOptions { Append = append };
        if (f == BulkFormat.Csv)
        {
            if (!TryDelimiter(q["delimiter"], out var delimiter, out var delimiterError))
            {
                error = new CollectError(400, delimiterError!);
                return null;
            }
            var headers = (string?)q["headers"] is { Length: > 0 } h ? h.Split(',', StringSplitOptions.TrimEntries) : null;
            csv = csv with { Delimiter = delimiter, Headers = headers };
        }
        var contentType = f == BulkFormat.Csv ? "text/csv" : "application/x-ndjson";
        return new BulkRequest(f, gzip, contentType, csv, append, p);
    }

    /// <summary>The format a file name implies, looking past a trailing <c>.gz</c>.</summary>
    private static BulkFormat? FromFilename(string? filename)
    {
        if (filename is null) return null;
        var name = filename.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? filename[..^3] : filename;
        var ext = Path.GetExtension(name).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".tsv" => BulkFormat.Csv,
            ".json" or ".ndjson" or ".jsonl" => BulkFormat.Ndjson,
            _ => null,
        };
    }

    /// <summary>Lytics' <c>delimiter</c>: <c>t</c> for tab, or the character itself; absent to detect it.</summary>
    private static bool TryDelimiter(string? value, out char? delimiter, out string? error)
    {
        error = null;
        delimiter = value switch
        {
            null or "" => null,
            "t" or "\\t" or "tab" or "\t" => '\t',
            { Length: 1 } c when c[0] is not ('"' or '\r' or '\n') && char.IsAscii(c[0]) => c[0],
            _ => (char?)'\0',
        };
        if (delimiter == '\0')
        {
            error = $"delimiter \"{value}\" is not usable: pass t for tab, or one ASCII character such as | or ;";
            delimiter = null;
            return false;
        }
        return true;
    }
}
