using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;

namespace Sluice.Collect.Bulk;

/// <summary>
/// Reads CSV from a stream as events, one JSON object of strings per row (empty cells left out), without holding
/// more than a read buffer and one row: each row's JSON is written into the same buffer, valid until the next row.
/// Shared by the bulk upload route and file imports.
/// </summary>
internal static class CsvEventReader
{
    /// <summary>
    /// The rows in order. A row with the wrong number of fields or invalid UTF-8 is yielded as refused and reading
    /// goes on; a missing or invalid header, or a row larger than <see cref="CsvReadOptions.MaxRowBytes"/>, throws
    /// <see cref="BulkFormatException"/>.
    /// </summary>
    public static async IAsyncEnumerable<BulkRow> ReadAsync(Stream input, CsvReadOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        long unterminatedQuoteAt = 0;
        var csvOptions = CsvReaderOptions.Default with
        {
            Separator = options.Delimiter,
            Encoding = options.Encoding,
            HasHeader = options.Headers is null,
            TrackLineNumbers = true,
            MaxRecordSize = options.MaxRowBytes,
            // Quoting mistakes are recovered as text (a stray quote in 5'10" is harmless), but a quote that is never
            // closed swallows every line after it, so that row is refused instead of stored.
            OnMalformedRecord = r =>
            {
                if (r.Reason == CsvMalformedReason.UnterminatedQuote) unterminatedQuoteAt = r.LineNumber;
            },
        };
        await using var csv = CsvReader.Create(input, csvOptions, leaveOpen: true);

        IReadOnlyList<string> headers;
        try
        {
            await csv.ReadHeaderAsync(ct);
            headers = options.Headers ?? csv.Headers.ToArray();
        }
        catch (CsvFormatException e)
        {
            throw new BulkFormatException(e.LineNumber, $"the header row cannot be read: {e.Message}");
        }
        var names = HeaderNames(headers, options);

        var json = new RowJson(names, options.Append);
        while (true)
        {
            bool more;
            try
            {
                more = await csv.ReadAsync(ct);
            }
            catch (CsvFormatException e)
            {
                throw new BulkFormatException(e.LineNumber, $"the row cannot be read ({e.Message}); is a quote never closed?");
            }
            if (!more) yield break;

            var line = csv.LineNumber;
            if (unterminatedQuoteAt == line)
            {
                yield return BulkRow.Refused(line, "a quoted field is never closed");
                continue;
            }
            if (csv.FieldCount != names.Length)
            {
                yield return BulkRow.Refused(line, $"{csv.FieldCount} fields, but the header has {names.Length} columns");
                continue;
            }

            json.Start();
            string? refused = null;
            for (var i = 0; i < names.Length; i++)
            {
                if (names[i] is null) continue;
                var value = csv.GetSpan(i);
                if (value.IsEmpty) continue;
                if (!Utf8.IsValid(value))
                {
                    refused = $"column \"{headers[i]}\" is not valid UTF-8";
                    break;
                }
                json.Member(i, value);
            }
            if (refused is not null)
            {
                yield return BulkRow.Refused(line, refused);
                continue;
            }
            // A row of empty cells carries nothing: skip it as a blank line is skipped.
            if (json.Members == 0) continue;
            json.End();
            // The reused buffer itself: the consumer copies what it keeps (BulkRow), into one chunk's blocks rather
            // than an array per row.
            yield return BulkRow.Event(line, json.Written);
        }
    }

    /// <summary>The encoded property name of each column, or null for a column that <c>append</c> replaces.</summary>
    private static JsonEncodedText?[] HeaderNames(IReadOnlyList<string> headers, CsvReadOptions options)
    {
        if (headers.Count == 0)
        {
            throw new BulkFormatException(0, "the upload is empty: CSV starts with a header row (or pass the column names as headers=a,b,c)");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new JsonEncodedText?[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Trim();
            if (name.Length == 0) throw new BulkFormatException(options.Headers is null ? 1 : 0, $"column {i + 1} of the header has no name");
            if (!seen.Add(name)) throw new BulkFormatException(options.Headers is null ? 1 : 0, $"the header names column \"{name}\" twice");
            names[i] = options.Append?.Contains(name) == true ? null : JsonEncodedText.Encode(name, BulkJson.Encoder);
        }
        return names;
    }
}
