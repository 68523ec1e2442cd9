namespace Sluice.Jobs;

/// <summary>CSV import over SFTP (SPEC 6.2): known by name so that it is refused with a clear message until it is built.</summary>
internal sealed class CsvImportWorkflow : IJobWorkflow
{
    public string Name => "csv-import";

    public Task<JobPreparation> PrepareAsync(string accountId, JobDraft draft, CancellationToken ct) =>
        Task.FromResult(JobPreparation.Refused("csv-import jobs are not supported yet"));

    // Never reached: no csv-import job can be created.
    public IJobWorker Worker(Job job) => throw new NotSupportedException("csv-import jobs are not supported yet");
}
