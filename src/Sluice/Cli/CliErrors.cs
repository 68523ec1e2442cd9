namespace Sluice.Cli;

internal static class CliErrors
{
    /// <summary>A user mistake: one line on stderr, no stack trace, exit code 2.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
