using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.BrazeSimulator.Faults;
using Sluice.BrazeSimulator.Hosting;
using Sluice.BrazeSimulator.Inspection;
using Sluice.BrazeSimulator.RateLimiting;

namespace Sluice.BrazeSimulator.Track;

/// <summary><c>POST /users/track</c>: auth, rate limit, faults, size and object limits, validation, apply, respond —
/// in the order a client of the real endpoint meets them.</summary>
internal static class TrackApi
{
    private const int MaxLoggedBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapTrackApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/users/track", HandleAsync);

        // Any other REST path is an invalid URL to Braze: 404, still with the rate-limit headers.
        routes.MapFallback((HttpContext context, SimulatorState state) =>
        {
            WriteRateHeaders(context, state, state.Limiter.Peek());
            return TypedResults.Json(new MessageResponse("Not Found"), TrackJsonContext.Default.MessageResponse, statusCode: 404);
        });
        return routes;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, SimulatorState state)
    {
        var call = new Call(context, state);
        state.Stats.Request();
        var limiter = state.Limiter;

        var key = ReadBearerKey(context.Request);
        if (key is null || !state.Keys.TryGetValue(key, out var apiKey))
        {
            // The real 401 body is said to echo the key; the simulator never does, so logs stay clean.
            state.Stats.Unauthorized();
            WriteRateHeaders(context, state, limiter.Peek());
            return call.Finish(401, Message("Invalid API key", 401));
        }

        if (!apiKey.Permissions.Contains(SimulatorApiKey.UsersTrack))
        {
            state.Stats.Forbidden();
            WriteRateHeaders(context, state, limiter.Peek());
            return call.Finish(403, Message("Access Denied", 403));
        }

        var decision = limiter.Acquire();
        WriteRateHeaders(context, state, decision, limited: !decision.Allowed);
        if (!decision.Allowed)
        {
            state.Stats.RateLimited();
            return call.Finish(429, Message("API rate limit exceeded", 429));
        }

        var fault = state.Faults.Next();
        var aborted = context.RequestAborted;
        try
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                await Task.Delay(fault.Latency, state.Time, aborted);
            }

            switch (fault.Kind)
            {
                case FaultKind.RateLimited:
                    state.Stats.InjectedRateLimited();
                    WriteRateHeaders(context, state, decision, limited: true);
                    call.Fault = "injected_429";
                    return call.Finish(429, Message("API rate limit exceeded", 429));
                case FaultKind.ServerError:
                    state.Stats.InjectedServerError();
                    call.Fault = "injected_" + fault.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return call.Finish(fault.StatusCode, Message(ServerErrorMessage(fault.StatusCode), fault.StatusCode));
                case FaultKind.Stall:
                    state.Stats.Stalled();
                    call.Fault = "stall";
                    await Task.Delay(fault.Stall, state.Time, aborted);
                    return call.Finish(504, Message("Gateway Timeout", 504));
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up while we were slow on purpose; nothing was applied.
            return call.Finish(0, Results.Empty);
        }

        var limit = state.Options.MaxBodyBytes;
        var tooLarge = $"Request body too large: at most {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes";
        if (context.Request.ContentLength > limit)
        {
            state.Stats.BadRequest();
            return call.Finish(413, Message(tooLarge, 413));
        }

        if (!context.Request.HasJsonContentType())
        {
            state.Stats.BadRequest();
            return call.Finish(400, Message("Content-Type must be application/json", 400));
        }

        var (buffer, length) = await ReadBodyAsync(context.Request, limit, aborted);
        try
        {
            if (length > limit)
            {
                state.Stats.BadRequest();
                return call.Finish(413, Message(tooLarge, 413));
            }

            if (state.Options.RecordRequestBodies)
            {
                call.Body = Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxLoggedBodyBytes));
            }

            TrackParseResult parsed;
            try
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                parsed = state.Parser.Parse(document.RootElement, state.Time.GetUtcNow());
            }
            catch (JsonException)
            {
                state.Stats.BadRequest();
                return call.Finish(400, Message("Received unparsable JSON body", 400));
            }

            return Apply(context, state, call, parsed, fault);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult Apply(HttpContext context, SimulatorState state, Call call, TrackParseResult parsed, FaultDecision fault)
    {
        if (parsed.FatalMessage is not null)
        {
            state.Stats.BadRequest();
            var details = parsed.FatalDetails.Count > 0 ? parsed.FatalDetails : null;
            return call.Finish(400, TypedResults.Json(new MessageResponse(parsed.FatalMessage, details), TrackJsonContext.Default.MessageResponse, statusCode: 400));
        }

        call.Objects = parsed.TotalObjects;
        call.ObjectErrors = parsed.Errors.Count;
        if (parsed.Objects.Count == 0)
        {
            // Every object was invalid: nothing to process, which Braze answers as a bad request.
            state.Stats.BadRequest();
            state.Stats.Processed(0, 0, 0, parsed.Errors.Count, 0, 0, 0, parsed.DroppedNestedUpdates);
            var none = new TrackResponse(TrackRequestParser.NoValidDataMessage, Errors: parsed.Errors);
            return call.Finish(400, TypedResults.Json(none, TrackJsonContext.Default.TrackResponse, statusCode: 400));
        }

        var applied = state.Store.Apply(parsed.Objects);
        int Count(InputArray array) => parsed.Objects.Count(o => o.Array == array);
        var attributes = Count(InputArray.Attributes);
        var events = Count(InputArray.Events);
        var purchases = Count(InputArray.Purchases);
        state.Stats.Processed(attributes, events, purchases, parsed.Errors.Count, applied.DataPoints, applied.Created, applied.Skipped, parsed.DroppedNestedUpdates);

        if (fault.Kind == FaultKind.DropAfterApply)
        {
            // Applied, then the connection dies: a retrying client repeats work Braze already did.
            state.Stats.DroppedAfterApply();
            call.Fault = "drop_after_apply";
            context.Abort();
            return call.Finish(0, Results.Empty);
        }

        state.Stats.Accepted();
        if (fault.Kind == FaultKind.Queued)
        {
            call.Fault = "queued";
            return call.Finish(202, Message("queued", 202));
        }

        var response = parsed.Errors.Count > 0
            ? new TrackResponse("success", Errors: parsed.Errors)
            : new TrackResponse(
                "success",
                parsed.AttributesCount >= 0 ? attributes : null,
                parsed.EventsCount >= 0 ? events : null,
                parsed.PurchasesCount >= 0 ? purchases : null);
        var status = state.Options.SuccessStatusCode;
        return call.Finish(status, TypedResults.Json(response, TrackJsonContext.Default.TrackResponse, statusCode: status));
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var size = (int)Math.Clamp(request.ContentLength ?? 16 * 1024, 256, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return (buffer, length);
                }

                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1024));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return (buffer, length);
            }

            length += read;
        }
    }

    private static string? ReadBearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    internal static void WriteRateHeaders(HttpContext context, SimulatorState state, RateDecision decision, bool limited = false)
    {
        if (!state.Limiter.Enabled)
        {
            return;
        }

        var headers = context.Response.Headers;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(culture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(culture);
        if (state.Options.RateLimitHeaders == RateLimitHeaderStyle.EpochReset)
        {
            headers["X-RateLimit-Reset"] = decision.ResetEpochSeconds.ToString(culture);
            return;
        }

        var secondsLeft = Math.Max(1, decision.ResetEpochSeconds - state.Time.GetUtcNow().ToUnixTimeSeconds()).ToString(culture);
        headers["X-RateLimit-Reset"] = secondsLeft;
        if (limited)
        {
            headers["X-Ratelimit-Retry-After"] = secondsLeft;
        }
    }

    private static IResult Message(string message, int status) =>
        TypedResults.Json(new MessageResponse(message), TrackJsonContext.Default.MessageResponse, statusCode: status);

    private static string ServerErrorMessage(int status) => status switch
    {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };

    /// <summary>Timing and outcome of one request, written to the request log when it finishes.</summary>
    private sealed class Call(HttpContext context, SimulatorState state)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly DateTimeOffset _receivedAt = state.Time.GetUtcNow();

        public int Objects { get; set; }

        public int ObjectErrors { get; set; }

        public string? Fault { get; set; }

        public string? Body { get; set; }

        public IResult Finish(int status, IResult result)
        {
            var entry = new RequestLogEntry(
                state.Log.NextId(), _receivedAt, context.Request.Method, context.Request.Path.Value ?? "/",
                status, Stopwatch.GetElapsedTime(_started).TotalMilliseconds, Objects, ObjectErrors, Fault, Body);
            state.Log.Add(entry);
            return result;
        }
    }
}
