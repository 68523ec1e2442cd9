namespace Sluice.Import;

/// <summary>
/// One csv-import job (key: <c>{accountId}/{jobId}</c>). While running it lists its source's directory, imports each
/// matching file not yet imported, and then completes (<c>once</c>) or sleeps until its next poll.
/// </summary>
public interface ICsvImportJobGrain : IGrainWithStringKey
{
    /// <summary>Starts (or keeps) working according to the job's stored status; called at creation and when a node starts.</summary>
    Task StartAsync();

    Task PauseAsync(string reason);

    Task ResumeAsync();

    Task CancelAsync();

    Task<CsvImportJobProgress> ProgressAsync();
}
