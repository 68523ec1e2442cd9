namespace Sluice.BrazeSimulator.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(SimulatorAssembly).Assembly);
}
