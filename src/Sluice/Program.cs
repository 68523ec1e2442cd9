using System.CommandLine;
using Sluice.Cli;

// SIGTERM and Ctrl+C are left to the server's host, which drains requests, the log writer and the silo; the
// command line's own handler would end the process after a fixed two seconds.
return await SluiceCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
