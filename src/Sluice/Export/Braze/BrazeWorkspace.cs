namespace Sluice.Export.Braze;

/// <summary>
/// A Braze workspace as Sluice talks to it: its REST endpoint and an API key. Rate limits are Braze's per workspace,
/// so every job that uses the same endpoint and key shares one limiter (<see cref="Key"/> identifies it without
/// revealing the API key).
/// </summary>
internal sealed record BrazeWorkspace(Uri RestUrl, string ApiKey)
{
    /// <summary>A stable name for the workspace's limiter and metrics: the endpoint and a hash of the key.</summary>
    public string Key => $"{RestUrl.GetLeftPart(UriPartial.Authority)}#{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ApiKey)))[..16]}";

    /// <summary>Never the key itself: records print themselves in logs and exceptions.</summary>
    public override string ToString() => Key;
}
