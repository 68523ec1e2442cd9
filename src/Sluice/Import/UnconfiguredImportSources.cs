namespace Sluice.Import;

/// <summary>
/// The <see cref="IImportSources"/> of a node with no import source configured: every authorization is refused with
/// that reason, so csv-import jobs say why they cannot run. Registered only when nothing else is; the SFTP sources
/// replace it.
/// </summary>
internal sealed class UnconfiguredImportSources : IImportSources
{
    public Task<ImportSourceOpening> OpenAsync(string accountId, string authorizationId, CancellationToken ct) =>
        Task.FromResult(ImportSourceOpening.Refused("no import source for this authorization"));
}
