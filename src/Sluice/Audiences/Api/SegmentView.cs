using System.Text.Json.Nodes;
using Sluice.Accounts;
using Sluice.Api;
using Sluice.Query.FilterQl;
using Sluice.Query.FilterQl.Syntax;

namespace Sluice.Audiences.Api;

/// <summary>
/// An audience in the shape of Lytics' segment (<c>id</c>, <c>aid</c>, <c>account_id</c>, <c>name</c>,
/// <c>slug_name</c>, <c>kind</c>, <c>table</c>, <c>segment_ql</c>, <c>is_public</c>, <c>tags</c>, <c>created</c>,
/// <c>updated</c>, with Lytics' millisecond twins), plus Sluice's <c>size</c>, <c>is_default</c> and, for one audience,
/// the state of the background evaluation of the account's audiences.
/// </summary>
internal static class SegmentView
{
    /// <summary>Lytics' kind for an audience; Sluice has no characteristics (<c>aspect</c>).</summary>
    public const string Kind = "segment";

    public static JsonObject Render(Audience a, Account account, long? size)
    {
        var view = new JsonObject
        {
            ["id"] = a.Id,
            ["aid"] = account.Number,
            ["account_id"] = account.Id,
            ["name"] = a.Name,
            ["slug_name"] = a.Slug,
            ["description"] = a.Description,
            ["kind"] = Kind,
            ["table"] = Table(a.SegmentQl),
            ["segment_ql"] = a.SegmentQl,
            // Every audience is visible to every token of its account; Sluice has no private audiences.
            ["is_public"] = true,
            // A statement is checked when saved, so a saved audience is never invalid.
            ["invalid"] = false,
            ["invalid_reason"] = "",
            ["is_default"] = a.IsDefault,
            ["tags"] = new JsonArray(),
            ["created"] = ApiJson.Time(a.Created),
            ["updated"] = ApiJson.Time(a.Updated),
            ["created_ms"] = a.Created.ToUnixTimeMilliseconds(),
            ["modified_ms"] = a.Updated.ToUnixTimeMilliseconds(),
        };
        if (size is { } n) view["size"] = n;
        return view;
    }

    /// <summary>The background evaluation of the account's audiences on this node, or null when none has run since it started.</summary>
    public static JsonNode? Evaluation(AudienceEvaluationProgress.Status? status) => status is null ? null : new JsonObject
    {
        ["state"] = status.State,
        ["profiles_seen"] = status.ProfilesSeen,
        ["started"] = ApiJson.Time(status.Started),
        ["finished"] = status.Finished is { } f ? ApiJson.Time(f) : null,
    };

    public static string Table(string segmentQl)
    {
        try
        {
            return FilterQlParser.Parse(segmentQl).From;
        }
        catch (FilterQlException)
        {
            return "user";
        }
    }
}
