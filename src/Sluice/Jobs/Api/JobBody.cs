using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Jobs.Api;

/// <summary>Reading the bodies of the job routes: every problem is named with its key.</summary>
internal static class JobBody
{
    /// <summary>Job bodies are small: a config of a few dozen keys.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>A create body: <c>{label, description?, auth_ids:[id], config:{...}}</c>.</summary>
    public static JobDraft? ReadDraft(JsonElement body, List<string> errors)
    {
        var label = Text(body, "label", errors);
        if (string.IsNullOrWhiteSpace(label) && !errors.Any(e => e.StartsWith("label", StringComparison.Ordinal))) errors.Add("label is required");
        var description = Text(body, "description", errors);
        var authIds = new List<string>();
        if (body.TryGetProperty("auth_ids", out var auths) && auths.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in auths.EnumerateArray())
            {
                if (a.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(a.GetString())) authIds.Add(a.GetString()!.Trim());
                else errors.Add("auth_ids must hold authorization ids (strings)");
            }
        }
        else if (body.TryGetProperty("auth_ids", out var other) && other.ValueKind != JsonValueKind.Null)
        {
            errors.Add("auth_ids must be an array of authorization ids");
        }
        JsonObject? config = null;
        if (body.TryGetProperty("config", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind == JsonValueKind.Object) config = JsonNode.Parse(c.GetRawText())!.AsObject();
            else errors.Add("config must be an object");
        }
        return errors.Count > 0 ? null : new JobDraft(label!.Trim(), description, authIds, config);
    }

    /// <summary>A change: <c>{label?, description?}</c>, nothing else for now.</summary>
    public static (string? Label, string? Description, bool HasDescription)? ReadChange(JsonElement body, List<string> errors)
    {
        foreach (var p in body.EnumerateObject())
        {
            if (p.Name is not ("label" or "description")) errors.Add($"{p.Name} cannot be changed; only label and description can");
        }
        var label = Text(body, "label", errors);
        if (label is not null && string.IsNullOrWhiteSpace(label)) errors.Add("label must be a non-empty string");
        var description = Text(body, "description", errors);
        var hasDescription = body.TryGetProperty("description", out _);
        if (label is null && !hasDescription && errors.Count == 0) errors.Add("send label or description to change");
        return errors.Count > 0 ? null : (label?.Trim(), description, hasDescription);
    }

    /// <summary>A string member; absent and null both give null, and any other kind of value is a problem.</summary>
    private static string? Text(JsonElement body, string member, List<string> errors)
    {
        if (!body.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Add($"{member} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
        return null;
    }
}
