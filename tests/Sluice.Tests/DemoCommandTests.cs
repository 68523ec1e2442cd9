namespace Sluice.Tests;

/// <summary><c>sluice demo</c> plays the integration guide end to end with the real executable.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_ends_with_every_Braze_user_holding_its_audiences()
    {
        var data = Directory.CreateTempSubdirectory("sluice-demo-test-").FullName;
        try
        {
            var (exit, stdout, stderr) = await SluiceProcess.RunAsync("demo", "--exit", "--users", "6", "--urls", "http://127.0.0.1:0", "--data", data);

            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains("demo-0     Oslo     [\"lytics_all\",\"lytics_known\",\"lytics_new\",\"lytics_nordic\"]", stdout, StringComparison.Ordinal);
            Assert.Contains("demo-2     Lyon     [\"lytics_all\",\"lytics_known\",\"lytics_new\"]", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
