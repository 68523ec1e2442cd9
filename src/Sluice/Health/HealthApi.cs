using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Sluice.Health;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the store answers too. Both unauthenticated, no detail.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz");
        return app;
    }
}
