namespace Sluice.Hosting;

/// <summary>How to start a Sluice node: where its data lives, where it listens, and hooks for tests.</summary>
internal sealed class SluiceAppOptions
{
    public required string DataDir { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:5080";

    public string[] Args { get; init; } = [];

    public bool JsonLogs { get; init; }

    /// <summary>Lets tests replace services (a fake clock, a log sink) before the app is built.</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }
}
