global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
global using Sluice.Tests.Infrastructure;
