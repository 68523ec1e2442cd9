using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Collect.Bulk;

/// <summary>How bulk rows are written as JSON events.</summary>
internal static class BulkJson
{
    /// <summary>Events are stored, never inlined in HTML, so non-ASCII text stays as UTF-8 rather than \u escapes.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder, SkipValidation = true };
}
