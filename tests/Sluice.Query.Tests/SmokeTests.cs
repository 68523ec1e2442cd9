namespace Sluice.Query.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(QueryAssembly).Assembly);
}
