using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Sluice.Authorizations;

/// <summary>
/// One kind of authorization (Braze, later SFTP): how its config is checked and split into what may be shown and
/// what must stay secret, and how a connection is tested. Adding a provider is one class registered as this.
/// </summary>
internal interface IAuthorizationProvider
{
    /// <summary>The <c>provider</c> value of a create request, e.g. <c>braze</c>.</summary>
    string Name { get; }

    /// <summary>Checks a create request's config; the error names the offending key and never repeats a secret.</summary>
    bool TryParse(JsonObject? config, [NotNullWhen(true)] out ProviderConfig? parsed, [NotNullWhen(false)] out string? error);

    /// <summary>Checks the credentials against the remote system without changing anything there.</summary>
    Task<ConnectionTest> TestAsync(JsonObject publicConfig, JsonObject secrets, CancellationToken ct);
}

/// <summary>A valid config, split: <see cref="Public"/> is stored in clear and shown; <see cref="Secrets"/> is encrypted.</summary>
internal sealed record ProviderConfig(JsonObject Public, JsonObject Secrets);

/// <summary>The answer of <c>POST /api/auth/{id}/test</c>: the remote system's HTTP status (0 when unreachable).</summary>
internal sealed record ConnectionTest(bool Ok, int Status, string Message)
{
    /// <summary>SFTP: the SHA-256 fingerprint of the host key the server presented, so that people can pin it.</summary>
    public string? HostKeyFingerprint { get; init; }

    /// <summary>SFTP: how many entries the login directory lists.</summary>
    public int? Entries { get; init; }
}
