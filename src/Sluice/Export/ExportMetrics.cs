namespace Sluice.Export;

/// <summary>What an export job has done since its activation started, for its progress and the job API.</summary>
internal sealed class ExportMetrics
{
    private long _objects, _requests, _retries, _rateLimited, _failedRows, _dataPoints, _skipped;

    public long ObjectsSent => Interlocked.Read(ref _objects);

    public long Requests => Interlocked.Read(ref _requests);

    public long Retries => Interlocked.Read(ref _retries);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public long FailedRows => Interlocked.Read(ref _failedRows);

    public long DataPoints => Interlocked.Read(ref _dataPoints);

    public long SkippedNoId => Interlocked.Read(ref _skipped);

    public void Request(int attempts, int rateLimited)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _retries, attempts - 1);
        Interlocked.Add(ref _rateLimited, rateLimited);
    }

    public void Sent(int objects, int dataPoints)
    {
        Interlocked.Add(ref _objects, objects);
        Interlocked.Add(ref _dataPoints, dataPoints);
    }

    public void Failed(int rows) => Interlocked.Add(ref _failedRows, rows);

    public void Skipped(int profiles) => Interlocked.Add(ref _skipped, profiles);
}
