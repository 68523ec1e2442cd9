using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Authorizations;
using Sluice.Import.Sftp.Managed;

namespace Sluice.Import.Sftp;

internal static class SftpServices
{
    /// <summary>
    /// SFTP authorizations and the import sources behind them. <see cref="SftpImportSources"/> replaces any
    /// placeholder registered before it: it is the implementation import jobs use.
    /// </summary>
    public static IServiceCollection AddSluiceSftp(this IServiceCollection services)
    {
        services.AddOptions<SftpOptions>().BindConfiguration("Sluice:Sftp").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IManagedDropBoxes, DisabledDropBoxes>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationProvider, SftpAuthorizationProvider>());
        services.RemoveAll<IImportSources>();
        services.AddSingleton<IImportSources, SftpImportSources>();
        return services;
    }
}
