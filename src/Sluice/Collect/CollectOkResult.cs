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
internal sealed class CollectOkResult(CollectResult result) : IResult
{
    private static readonly CollectJsonContext Context = new(new JsonSerializerOptions(ApiJson.Options));

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        body.Write(ApiResults.OkPrefix);
        var writer = t_writer ??= new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder, SkipValidation = true });
        writer.Reset(body);
        try
        {
            JsonSerializer.Serialize(writer, result, Context.CollectResult);
        }
        finally
        {
            writer.Reset();
        }
        body.Write("}"u8);
        return body.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}

/// <summary>Source-generated serialization of collect's answer (naming and encoder come from <see cref="ApiJson.Options"/>).</summary>
[JsonSerializable(typeof(CollectResult))]
internal sealed partial class CollectJsonContext : JsonSerializerContext;
