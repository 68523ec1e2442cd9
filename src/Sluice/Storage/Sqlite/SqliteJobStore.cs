using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Sluice.Jobs;

namespace Sluice.Storage.Sqlite;

internal sealed class SqliteJobStore(SqliteDatabase db, TimeProvider time) : IJobStore
{
    // Dapper builds the row records by constructor parameter name.
    private const string Selected =
        "id AS Id, account_id AS AccountId, workflow AS Workflow, label AS Label, description AS Description, auth_ids AS AuthIds, " +
        "config AS Config, status AS Status, status_message AS StatusMessage, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private sealed record Row(
        string Id, string AccountId, string Workflow, string Label, string? Description, string AuthIds, string Config,
        string Status, string? StatusMessage, long CreatedAt, long UpdatedAt)
    {
        public Job ToJob() => new(
            Id, AccountId, Workflow, Label, Description, JsonSerializer.Deserialize<string[]>(AuthIds) ?? [],
            JsonNode.Parse(Config) as JsonObject ?? [], JobStatuses.Parse(Status), StatusMessage, UnixMs.To(CreatedAt), UnixMs.To(UpdatedAt));
    }

    private sealed record LogRow(long At, string Level, string Message);

    public async Task CreateAsync(Job job, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO jobs (id, account_id, workflow, label, description, auth_ids, config, status, status_message, created_at, updated_at)
            VALUES (@Id, @AccountId, @Workflow, @Label, @Description, @AuthIds, @Config, @Status, @StatusMessage, @CreatedAt, @UpdatedAt)
            """,
            new
            {
                job.Id, job.AccountId, job.Workflow, job.Label, job.Description,
                AuthIds = JsonSerializer.Serialize(job.AuthIds),
                Config = job.Config.ToJsonString(),
                Status = job.Status.Name(),
                job.StatusMessage,
                CreatedAt = UnixMs.From(job.Created),
                UpdatedAt = UnixMs.From(job.Updated),
            });
    }

    public async Task<Job?> GetAsync(string accountId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>($"SELECT {Selected} FROM jobs WHERE id = @id AND account_id = @accountId", new { id, accountId });
        return row?.ToJob();
    }

    public async Task<IReadOnlyList<Job>> ListAsync(string accountId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Selected} FROM jobs WHERE account_id = @accountId ORDER BY created_at, id", new { accountId });
        return [.. rows.Select(r => r.ToJob())];
    }

    public async Task<IReadOnlyList<Job>> ActiveAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(
            $"SELECT {Selected} FROM jobs WHERE status IN (@running, @sleeping) ORDER BY created_at, id",
            new { running = JobStatus.Running.Name(), sleeping = JobStatus.Sleeping.Name() });
        return [.. rows.Select(r => r.ToJob())];
    }

    public async Task<bool> UpdateAsync(string accountId, string id, string label, string? description, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE jobs SET label = @label, description = @description, updated_at = @now WHERE id = @id AND account_id = @accountId",
            new { id, accountId, label, description, now = UnixMs.From(time.GetUtcNow()) }) == 1;
    }

    public async Task SetStatusAsync(string accountId, string id, JobStatus status, string? message, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            "UPDATE jobs SET status = @status, status_message = @message, updated_at = @now WHERE id = @id AND account_id = @accountId",
            new { id, accountId, status = status.Name(), message, now = UnixMs.From(time.GetUtcNow()) });
    }

    public async Task<bool> TrySetStatusAsync(
        string accountId, string id, IReadOnlyCollection<JobStatus> from, JobStatus status, string? message, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE jobs SET status = @status, status_message = @message, updated_at = @now WHERE id = @id AND account_id = @accountId AND status IN @from",
            new { id, accountId, status = status.Name(), message, now = UnixMs.From(time.GetUtcNow()), from = from.Select(s => s.Name()).ToArray() }) == 1;
    }

    public async Task LogAsync(string jobId, DateTimeOffset at, string level, string message, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO job_logs (job_id, at, level, message) VALUES (@jobId, @at, @level, @message)",
            new { jobId, at = UnixMs.From(at), level, message });
    }

    public async Task<IReadOnlyList<(DateTimeOffset At, string Level, string Message)>> LogsAsync(string jobId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<LogRow>(
            "SELECT at AS At, level AS Level, message AS Message FROM job_logs WHERE job_id = @jobId ORDER BY seq DESC LIMIT @limit", new { jobId, limit });
        return [.. rows.Select(r => (UnixMs.To(r.At), r.Level, r.Message))];
    }
}
