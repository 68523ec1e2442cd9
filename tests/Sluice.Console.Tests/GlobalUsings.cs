global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
global using Microsoft.Playwright;
global using Sluice.Tests.Infrastructure;
