namespace Sluice.WebConsole;

/// <summary>
/// The web console: Razor components rendered on the server (static rendering; forms post back with antiforgery),
/// on the same port as the API. Pages declare their role with a <c>console:ROLE</c> policy (see TokenPolicies).
/// </summary>
internal static class ConsoleEndpoints
{
    public static IServiceCollection AddSluiceConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<ProfileEvents>();
        services.AddSingleton<ProcessingLag>();
        return services;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapConsoleAssets();
        app.MapSignOut();
        app.MapFilterQlCheck();
        Import.ImportErrorsApi.MapConsoleImportErrors(app);
        app.MapRazorComponents<App>();
        return app;
    }
}
