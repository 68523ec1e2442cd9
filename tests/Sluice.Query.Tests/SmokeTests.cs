using Sluice.Query.Values;

namespace Sluice.Query.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(FieldValue).Assembly);
}
