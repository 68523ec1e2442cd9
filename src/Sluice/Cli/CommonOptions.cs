using System.CommandLine;

namespace Sluice.Cli;

/// <summary>Options shared by the commands that work on a data folder.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Data folder of the embedded store",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLUICE_DATA") ?? "data",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON on stdout and nothing else" };
}
