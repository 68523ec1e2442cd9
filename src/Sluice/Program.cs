using Sluice.Cli;

return await SluiceCli.Build().Parse(args).InvokeAsync();
