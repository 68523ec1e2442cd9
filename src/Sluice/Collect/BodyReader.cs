using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Sluice.Collect;

/// <summary>Reads a request body up to a limit into a pooled buffer; the caller returns it with <see cref="Return"/>.</summary>
internal static class BodyReader
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<(byte[] Buffer, int Length)?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        // Raise Kestrel's own cap to ours so that the limit answered is the configured one.
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = (long)limit + 1;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) break;
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) break;
            length += read;
        }
        if (length > limit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        return (buffer, length);
    }

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
