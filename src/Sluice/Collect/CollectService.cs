using Microsoft.Extensions.Options;
using Sluice.Accounts;
using Sluice.EventLog;
using Sluice.Processing;

namespace Sluice.Collect;

/// <summary>Validates parsed events, resolves their times and appends them to the log (unless a dry run).</summary>
internal sealed class CollectService(
    EventLogWriter writer, Partitioner partitioner, EventValidator validator, TimeProvider time, IOptions<CollectOptions> options)
{
    public CollectOptions Options => options.Value;

    /// <summary>The outcome: an error to answer, or the counts (and, when appended, the last log position).</summary>
    public async ValueTask<(CollectError? Error, CollectResult? Result, long LastPosition)> AcceptAsync(
        Account account, string stream, string contentType, CollectParameters p, ParsedBody parsed, CancellationToken ct)
    {
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        var partition = partitioner.For(account.Id);
        // The parse's own list, which this request owns: refusals of the checks below follow its own.
        var rejections = parsed.Rejections;
        var events = new List<NewEvent>(parsed.Events.Count);
        var checks = await validator.ForStreamAsync(account.Id, stream, p.TimestampField, received, ct);
        for (var i = 0; i < parsed.Events.Count; i++)
        {
            var body = parsed.Events[i];
            if (checks.Check(body, out var at) is { } problem)
            {
                rejections.Add($"event {i}: {problem}");
                continue;
            }
            events.Add(new NewEvent(account.Id, partition, stream, at, received, body));
        }

        if (rejections.Count > 0 && !p.DropErrors)
        {
            var shown = string.Join("; ", rejections.Take(5));
            return (new CollectError(400, $"{rejections.Count} event(s) refused, nothing stored (pass droperrors=true to keep the rest): {shown}"), null, 0);
        }
        if (events.Count == 0)
        {
            return (new CollectError(400, $"no valid events: {string.Join("; ", rejections.Take(5))}"), null, 0);
        }

        long last = 0;
        if (!p.DryRun)
        {
            var seqs = await writer.AppendThenAnswerAsync(events, ct);
            last = seqs[^1];
        }
        var result = new CollectResult(events.Count, rejections.Count, contentType, p.DropErrors, p.DryRun, p.TimestampField, p.Filename,
            rejections.Count > 0 ? rejections.Take(100).ToList() : null);
        return (null, result, last);
    }
}
