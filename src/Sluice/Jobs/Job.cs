using System.Text.Json.Nodes;

namespace Sluice.Jobs;

/// <summary>
/// A configured job of a workflow (<c>braze-export-audience</c>, <c>csv-import</c>): what it is for, the
/// authorizations it uses, its workflow's config (as given, validated by the workflow), and where it stands.
/// </summary>
internal sealed record Job(
    string Id, string AccountId, string Workflow, string Label, string? Description, IReadOnlyList<string> AuthIds, JsonObject Config,
    JobStatus Status, string? StatusMessage, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A job's state, as Lytics names them.</summary>
internal enum JobStatus
{
    /// <summary>Working, or ready to work the moment there is something to do.</summary>
    Running,

    /// <summary>Waiting for its next scheduled run (a polling import).</summary>
    Sleeping,

    /// <summary>Stopped by an operator, or by an error only an operator can fix (a wrong API key); resumable.</summary>
    Paused,

    /// <summary>Stopped by an error; its message says which.</summary>
    Failed,

    /// <summary>Done (a one-off import) or cancelled.</summary>
    Completed,
}
