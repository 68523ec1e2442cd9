using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sluice.Authorizations;
using Sluice.Import.Sftp.Managed;

namespace Sluice.Import.Sftp;

internal static class SftpServices
{
    /// <summary>
    /// SFTP authorizations and the import sources behind them. <see cref="SftpImportSources"/> replaces any
    /// placeholder registered before it: it is the implementation import jobs use.
    /// </summary>
    public static IServiceCollection AddSluiceSftp(this IServiceCollection services, string dataDir)
    {
        services.AddOptions<SftpOptions>().BindConfiguration("Sluice:Sftp").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ManagedSftpOptions>().BindConfiguration("Sluice:Sftp:Managed").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new ManagedSftpFolder(
            sp.GetRequiredService<IOptions<ManagedSftpOptions>>().Value.DataFolder ?? Path.Combine(dataDir, "sftp")));
        // Always registered: when it is not enabled it starts nothing and refuses drop boxes with that reason.
        services.TryAddSingleton<ManagedSftpServer>();
        services.TryAddSingleton<IManagedDropBoxes>(sp => sp.GetRequiredService<ManagedSftpServer>());
        services.AddHostedService(sp => sp.GetRequiredService<ManagedSftpServer>());
        services.AddHealthChecks().AddCheck<ManagedSftpHealthCheck>("managed_sftp");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationProvider, SftpAuthorizationProvider>());
        services.RemoveAll<IImportSources>();
        services.AddSingleton<IImportSources, SftpImportSources>();
        return services;
    }
}
