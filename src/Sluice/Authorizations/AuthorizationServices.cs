using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Export.Braze;

namespace Sluice.Authorizations;

internal static class AuthorizationServices
{
    /// <summary>
    /// Authorizations and the Data Protection that encrypts their secrets, with its key ring in the store
    /// (<see cref="IXmlRepository"/> from the storage provider) so that every node decrypts what another encrypted.
    /// </summary>
    public static IServiceCollection AddSluiceAuthorizations(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("sluice");
        services.AddOptions<KeyManagementOptions>().Configure<IXmlRepository>((o, repository) => o.XmlRepository = repository);
        services.AddSluiceBraze();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationProvider, BrazeAuthorizationProvider>());
        services.TryAddSingleton<AuthorizationProviders>();
        services.TryAddSingleton<AuthorizationService>();
        services.TryAddSingleton<IAuthorizationUsage, NoAuthorizationUsage>();
        services.TryAddSingleton<IBrazeCredentials, BrazeCredentials>();
        return services;
    }
}
