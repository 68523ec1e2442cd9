using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Api;

namespace Sluice.Collect;

/// <summary>
/// The 200 answer of a collect request, written straight into the response: the envelope's fixed start is
/// pre-encoded (<see cref="ApiResults.OkPrefix"/>) and <see cref="CollectResult"/> goes through a source-generated
/// serializer, instead of the reflection-based one walking an <c>object</c>-typed envelope on every webhook. The
/// bytes are the same as <see cref="ApiResults.Ok"/> would write.
/// </summary>
/// <para>
/// The body is serialized into a per-thread buffer first so that the answer carries its Content-Length: Kestrel then
/// sends it unframed in the one write that ends the request, where a flushed body without a length went out chunked,
/// with its closing chunk.
/// </para>
internal sealed class CollectOkResult(CollectResult result) : IResult
{
    private static readonly CollectJsonContext Context = new(new JsonSerializerOptions(ApiJson.Options));

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder, SkipValidation = true });
        writer.Reset(buffer);
        try
        {
            JsonSerializer.Serialize(writer, result, Context.CollectResult);
        }
        finally
        {
            writer.Reset();
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = ApiResults.OkPrefix.Length + buffer.WrittenCount + 1;
        var body = response.BodyWriter;
        body.Write(ApiResults.OkPrefix);
        body.Write(buffer.WrittenSpan);
        body.Write("}"u8);
        // A large answer (up to 100 rejection messages) is not kept by this thread for good.
        if (buffer.Capacity > 64 * 1024) t_buffer = null;
        return Task.CompletedTask;
    }
}

/// <summary>Source-generated serialization of collect's answer (naming and encoder come from <see cref="ApiJson.Options"/>).</summary>
[JsonSerializable(typeof(CollectResult))]
internal sealed partial class CollectJsonContext : JsonSerializerContext;
