namespace Sluice.Export;

/// <summary>
/// One Braze export job (key: <c>{accountId}/{jobId}</c>). While running it tails its account's membership change
/// feed from its stored position and keeps every Braze user's attribute equal to the user's membership in the job's
/// audiences, sending only differences. Operators pause, resume, cancel and reconcile it through the job API.
/// </summary>
public interface IExportJobGrain : IGrainWithStringKey
{
    /// <summary>Starts (or keeps) working according to the job's stored status; called at creation and when a node starts.</summary>
    Task StartAsync();

    Task PauseAsync(string reason);

    Task ResumeAsync();

    /// <summary>Stops for good: the job is completed and keeps its logs.</summary>
    Task CancelAsync();

    /// <summary>Recomputes the difference for every member and every user Braze was told about, and sends only what differs.</summary>
    Task ReconcileAsync();

    Task<ExportJobProgress> ProgressAsync();
}
