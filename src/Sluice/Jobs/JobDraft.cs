using System.Text.Json.Nodes;

namespace Sluice.Jobs;

/// <summary>A create (or dry-run) body as read from the request, before its workflow has checked it.</summary>
internal sealed record JobDraft(string Label, string? Description, IReadOnlyList<string> AuthIds, JsonObject? Config);

/// <summary>
/// What a workflow makes of a draft: the normalised config to store (every default written out), or the problems
/// that refuse it, each naming its key; warnings are returned with the created job.
/// </summary>
internal sealed record JobPreparation(JsonObject? Config, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public static JobPreparation Refused(params string[] errors) => new(null, errors, []);
}
