using System.CommandLine;
using Microsoft.Extensions.Options;
using Sluice.Processing;
using Sluice.Profiles;

namespace Sluice.Cli;

/// <summary>
/// <c>sluice reprocess [--from N]</c>: rebuilds every profile from the event log. Works beside a running server
/// (processing picks the reset up at its next batch) or on a stopped one (at its next start).
/// </summary>
internal static class ReprocessCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var from = new Option<long>("--from") { Description = "First log position to apply (earlier events are ignored)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("reprocess", "Rebuild all profiles from the event log") { data, from };
        cmd.SetAction(async (r, ct) =>
        {
            if (r.GetValue(from) < 1) return CliErrors.Fail("--from is a log position, 1 or more");
            await using var ctx = await AdminContext.OpenAsync(r.GetValue(data)!, ct);
            // The partition count must match the server's; the offline store reads the same configuration sources.
            var partitions = ctx.Services.GetRequiredService<IOptions<ProcessingOptions>>().Value.Partitions;
            await ctx.Services.GetRequiredService<IProfileStore>().ResetAsync(r.GetValue(from), partitions, ct);
            Console.Out.WriteLine($"Profiles cleared; {partitions} partitions will rebuild them from log position {r.GetValue(from)}.");
            return 0;
        });
        return cmd;
    }
}
