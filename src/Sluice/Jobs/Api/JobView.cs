using System.Text.Json.Nodes;
using Sluice.Accounts;
using Sluice.Api;

namespace Sluice.Jobs.Api;

/// <summary>
/// A job in the shape of Lytics' work/job (<c>id</c>, <c>aid</c>, <c>account_id</c>, <c>workflow</c>, <c>config</c>,
/// <c>auth_ids</c>, <c>created</c>, <c>updated</c> with their millisecond twins), with Sluice's <c>label</c>,
/// <c>description</c>, <c>status</c> and <c>status_message</c>, and the worker's <c>metrics</c> and <c>progress</c>
/// (null when it could not be asked, and for a completed job, which has no worker).
/// </summary>
internal static class JobView
{
    public static JsonObject Render(Job job, Account account, JobProgressView? progress) => new()
    {
        ["id"] = job.Id,
        ["aid"] = account.Number,
        ["account_id"] = account.Id,
        ["workflow"] = job.Workflow,
        ["label"] = job.Label,
        ["description"] = job.Description,
        ["auth_ids"] = new JsonArray([.. job.AuthIds.Select(a => (JsonNode)a)]),
        ["config"] = job.Config.DeepClone(),
        ["status"] = job.Status.Name(),
        ["status_message"] = job.StatusMessage,
        ["created"] = ApiJson.Time(job.Created),
        ["updated"] = ApiJson.Time(job.Updated),
        ["created_ms"] = job.Created.ToUnixTimeMilliseconds(),
        ["modified_ms"] = job.Updated.ToUnixTimeMilliseconds(),
        ["metrics"] = progress?.Metrics.DeepClone(),
        ["progress"] = progress?.Progress.DeepClone(),
    };

    public static JsonObject Log(DateTimeOffset at, string level, string message) => new()
    {
        ["at"] = ApiJson.Time(at),
        ["level"] = level,
        ["message"] = message,
    };
}
