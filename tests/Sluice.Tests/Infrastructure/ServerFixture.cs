namespace Sluice.Tests.Infrastructure;

/// <summary>One server shared by a test class (starting a node with its silo costs about a second on two cores).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
