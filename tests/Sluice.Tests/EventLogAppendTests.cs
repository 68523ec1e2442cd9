using System.Text;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Sluice.Api;
using Sluice.Collect;
using Sluice.EventLog;
using Sluice.Tests.Infrastructure;

namespace Sluice.Tests;

/// <summary>The log's append path: positions, bodies, and what a deleted newest event leaves behind.</summary>
public sealed class EventLogAppendTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(21)]
    public async Task A_group_gets_consecutive_positions_and_each_body_is_stored_at_its_own(int count)
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        await pipeline.AppendAsync([("s", 1, """{"n":-1}""")]);

        var group = Enumerable.Range(0, count)
            .Select(i => new NewEvent(pipeline.Account.Id, 0, "s", i, i, Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""")))
            .ToList();
        var seqs = await log.AppendAsync(group, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, count).Select(i => seqs[0] + i), seqs);
        var read = await log.ReadAsync(0, seqs[0] - 1, 100, CancellationToken.None);
        Assert.Equal(seqs, read.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $$"""{"n":{{i}}}"""), read.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), read.Select(e => e.EventTimeMs));
    }

    [Fact]
    public async Task A_slice_of_a_larger_buffer_stores_only_its_own_bytes()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        var buffer = Encoding.UTF8.GetBytes("""[{"a":1},{"b":2}]""");
        var seqs = await log.AppendAsync([new NewEvent(pipeline.Account.Id, 0, "s", 1, 1, buffer.AsMemory(9, 7))], CancellationToken.None);

        var read = await log.ReadAsync(0, seqs[0] - 1, 1, CancellationToken.None);
        Assert.Equal("""{"b":2}""", Encoding.UTF8.GetString(read.Single().Body));
    }

    [Fact]
    public async Task A_deleted_newest_position_is_not_handed_out_again()
    {
        await using var pipeline = await ProcessingPipeline.CreateAsync(batchSize: 100);
        var log = pipeline.Services.GetRequiredService<IEventLog>();
        var first = await log.AppendAsync(
            [.. Enumerable.Range(0, 9).Select(i => new NewEvent(pipeline.Account.Id, 0, "s", i, i, """{"x":1}"""u8.ToArray()))], CancellationToken.None);
        Assert.Equal(1, await log.DeleteAsync([first[^1]], CancellationToken.None));

        var next = await log.AppendAsync([new NewEvent(pipeline.Account.Id, 0, "s", 1, 1, """{"y":1}"""u8.ToArray())], CancellationToken.None);

        Assert.Equal(first[^1] + 1, next.Single());
    }

    [Theory]
    [InlineData("""{"a":1}""", null)]
    [InlineData("""{"_ts":1700000000}""", 1_700_000_000_000L)]
    [InlineData("""{"\u005fts":1700000000}""", 1_700_000_000_000L)]
    [InlineData("""{"x":{"_ts":5},"y":"_ts"}""", null)]
    public void An_event_time_comes_from_ts_however_the_name_is_written_or_else_from_receipt(string json, long? expected)
    {
        var at = EventTime.Resolve(Encoding.UTF8.GetBytes(json), null, 42, out var error);
        Assert.Null(error);
        Assert.Equal(expected ?? 42, at);
    }

    [Fact]
    public async Task Collect_writes_the_same_answer_as_the_general_envelope()
    {
        var result = new CollectResult(3, 1, "application/json", true, false, null, "a.json", ["event 2: \"x\" <é>"]);
        var expected = await BodyOfAsync(ApiResults.Ok(result));
        Assert.Equal(expected, await BodyOfAsync(new CollectOkResult(result)));
        // And it is a complete envelope.
        Assert.Equal(3, JsonDocument.Parse(expected[expected.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("data").GetProperty("message_count").GetInt32());
    }

    private static async Task<string> BodyOfAsync(IResult result)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        await http.Response.CompleteAsync();
        return $"{http.Response.StatusCode} {http.Response.ContentType} {Encoding.UTF8.GetString(body.ToArray())}";
    }
}
