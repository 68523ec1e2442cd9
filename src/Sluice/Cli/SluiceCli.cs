using System.CommandLine;

namespace Sluice.Cli;

internal static class SluiceCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Sluice: a customer data platform that keeps Braze in step with your audiences");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(ReprocessCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(SegmentCommands.Create());
        root.Subcommands.Add(JobCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(BrazeSimulator.BrazeSimCommand.Create());
        return root;
    }
}
