using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Collect;

namespace Sluice.Import;

/// <summary>
/// The config of a <c>csv-import</c> job (SPEC §6.2 and §11), with its defaults: where the files are and which ones,
/// the stream their rows go to, how to read them, how often to look, and what to do with a file once imported.
/// </summary>
internal sealed record CsvImportConfig(
    string Directory,
    string FilePattern,
    string Stream,
    char? Delimiter,
    bool HasHeader,
    IReadOnlyList<string>? Headers,
    string Encoding,
    string? TimestampField,
    int? RunEveryMinutes,
    string AfterImport)
{
    public const string DefaultStream = "braze_segment_export";

    /// <summary>A week: a longer period is almost certainly a unit mistake.</summary>
    public const int MaxMinutes = 7 * 24 * 60;

    private static readonly string[] Keys =
        ["directory", "file_pattern", "stream", "delimiter", "has_header", "headers", "encoding", "timestamp_field", "run_frequency", "after_import"];

    /// <summary>The text encoding CsvHelper reads with: UTF-8 (a BOM is skipped) or Latin-1.</summary>
    public Encoding? TextEncoding => Encoding == "latin-1" ? System.Text.Encoding.Latin1 : null;

    /// <summary>The folder named by <c>move:&lt;dir&gt;</c>, or null for leave and delete.</summary>
    public string? MoveTo => AfterImport.StartsWith("move:", StringComparison.Ordinal) ? AfterImport[5..] : null;

    /// <summary>Reads a config object; every problem is named with its key.</summary>
    public static CsvImportConfig? Parse(JsonObject? config, out List<string> errors)
    {
        errors = [];
        if (config is null)
        {
            errors.Add("config is required: at least {\"directory\": \"...\"}");
            return null;
        }
        foreach (var (key, _) in config)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal)) errors.Add($"{key} is not a csv-import setting; known: {string.Join(", ", Keys)}");
        }
        var directory = Text(config, "directory", null, errors);
        if (directory is null) errors.Add("directory is required: the folder of the source to read files from, such as \"in\"");
        else if (PathProblem(directory) is { } p) errors.Add($"directory {p}");
        var pattern = Text(config, "file_pattern", "*", errors)!;
        if (pattern.Length is 0 or > 256 || pattern.Contains('/', StringComparison.Ordinal)) errors.Add("file_pattern must be a file name glob such as *.csv.gz (no '/', at most 256 characters)");
        var stream = Text(config, "stream", DefaultStream, errors)!;
        if (!CollectParameters.IsValidStream(stream)) errors.Add($"stream \"{stream}\" is not a valid stream name: use letters, digits, '_', '-' and '.'");
        var delimiter = ParseDelimiter(Text(config, "delimiter", null, errors), errors);
        var hasHeader = Flag(config, "has_header", true, errors);
        var headers = HeaderList(config, errors);
        if (!hasHeader && headers is null) errors.Add("headers is required when has_header is false: the column names, such as [\"user_id\",\"email\"]");
        if (hasHeader && headers is not null) errors.Add("headers is only for files without a header row (has_header: false)");
        var encoding = (Text(config, "encoding", "utf-8", errors) ?? "utf-8").ToLowerInvariant() switch
        {
            "utf-8" or "utf8" => "utf-8",
            "latin-1" or "latin1" or "iso-8859-1" => "latin-1",
            var other => Bad(errors, $"encoding \"{other}\" is not supported: use utf-8 (with or without a BOM) or latin-1", "utf-8"),
        };
        var timestampField = Text(config, "timestamp_field", null, errors);
        var every = Frequency(config["run_frequency"], errors);
        var after = Text(config, "after_import", "leave", errors)!;
        if (after is not ("leave" or "delete") && !(after.StartsWith("move:", StringComparison.Ordinal) && PathProblem(after[5..]) is null))
        {
            errors.Add("after_import must be leave, delete or move:<dir> (a folder of the source, such as move:done)");
        }
        return errors.Count > 0
            ? null
            : new CsvImportConfig(directory!, pattern, stream, delimiter, hasHeader, headers, encoding, timestampField, every, after);
    }

    public JsonObject ToJson() => new()
    {
        ["directory"] = Directory,
        ["file_pattern"] = FilePattern,
        ["stream"] = Stream,
        ["delimiter"] = Delimiter is { } d ? (d == '\t' ? "t" : d.ToString()) : null,
        ["has_header"] = HasHeader,
        ["headers"] = Headers is null ? null : new JsonArray([.. Headers.Select(h => (JsonNode)h)]),
        ["encoding"] = Encoding,
        ["timestamp_field"] = TimestampField,
        ["run_frequency"] = RunEveryMinutes is { } m ? m.ToString(CultureInfo.InvariantCulture) : "once",
        ["after_import"] = AfterImport,
    };

    private static string? PathProblem(string path)
    {
        if (path.Length is 0 or > 1024) return "must be a folder path of 1 to 1024 characters";
        if (path.Split('/', '\\').Any(part => part == "..")) return "must not contain '..'";
        if (path.Any(char.IsControl)) return "must not contain control characters";
        return null;
    }

    private static string? Text(JsonObject config, string key, string? fallback, List<string> errors)
    {
        var node = config[key];
        if (node is null) return fallback;
        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{key} must be a string");
            return fallback;
        }
        return node.GetValue<string>();
    }

    private static bool Flag(JsonObject config, string key, bool fallback, List<string> errors)
    {
        var node = config[key];
        if (node is null) return fallback;
        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        errors.Add($"{key} must be true or false");
        return fallback;
    }

    private static IReadOnlyList<string>? HeaderList(JsonObject config, List<string> errors)
    {
        if (config["headers"] is not { } node) return null;
        if (node is not JsonArray list || list.Count is 0 or > 1000 || list.Any(h => h?.GetValueKind() != JsonValueKind.String))
        {
            errors.Add("headers must be an array of 1 to 1000 column names");
            return null;
        }
        return [.. list.Select(h => h!.GetValue<string>())];
    }

    private static char? ParseDelimiter(string? value, List<string> errors) => value switch
    {
        null or "" or "auto" => null,
        "t" or "\\t" or "tab" or "\t" => '\t',
        { Length: 1 } c when c[0] is not ('"' or '\r' or '\n') && char.IsAscii(c[0]) && !char.IsLetterOrDigit(c[0]) => c[0],
        _ => Bad<char?>(errors, $"delimiter \"{value}\" is not usable: leave it out to detect it, or give t for tab or one character such as , ; or |", null),
    };

    private static int? Frequency(JsonNode? node, List<string> errors)
    {
        const string Hint = "run_frequency must be \"once\" or a number of minutes between polls (1 to 10080)";
        if (node is null) return null;
        var kind = node.GetValueKind();
        if (kind == JsonValueKind.String && node.GetValue<string>() == "once") return null;
        var minutes = 0;
        var ok = kind == JsonValueKind.Number
            ? node.AsValue().TryGetValue(out minutes)
            : kind == JsonValueKind.String && int.TryParse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out minutes);
        if (ok && minutes is >= 1 and <= MaxMinutes) return minutes;
        errors.Add(Hint);
        return null;
    }

    private static T Bad<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }
}
