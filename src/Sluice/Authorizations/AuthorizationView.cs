using System.Text.Json.Nodes;
using Sluice.Api;

namespace Sluice.Authorizations;

/// <summary>An authorization as the API shows it: never a secret, only the config's public part.</summary>
internal sealed record AuthorizationView(
    string Id,
    string Provider,
    string Label,
    string? Description,
    JsonObject Config,
    string Created,
    string Updated)
{
    public static AuthorizationView From(StoredAuthorization a) =>
        new(a.Id, a.Provider, a.Label, a.Description, JsonNode.Parse(a.PublicConfig)!.AsObject(), ApiJson.Time(a.Created), ApiJson.Time(a.Updated));
}
