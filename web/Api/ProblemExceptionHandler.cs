using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime.Messaging;

namespace HallMonitor.Web;

/// <summary>
/// The one place that turns refusals into HTTP: domain exceptions, malformed requests and timeouts become
/// problem details (RFC 9457) with a readable <c>detail</c>. Anything else is a 500 and is logged.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>A journal or a silo that is briefly away is usually back within this many seconds.</summary>
    private const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            NotFoundException e => (StatusCodes.Status404NotFound, e.Message),
            ConflictException or StaleStreamException => (StatusCodes.Status409Conflict, exception.Message),
            InvalidRequestException e => (StatusCodes.Status400BadRequest, e.Message),

            // A time limit ending in a year the hall's calendar lacks (a case, a follow-up): nothing was changed.
            CalendarYearNotCoveredException e => (StatusCodes.Status409Conflict, e.Message),
            JournalUnavailableException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
            JournalCorruptException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
            BadHttpRequestException { InnerException: JsonException json } =>
                (StatusCodes.Status400BadRequest, $"The request body is not valid JSON for this request (at {json.Path ?? "$"})."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {ApiExtensions.MaxRequestBodyBytes} bytes."),
            BadHttpRequestException e => (e.StatusCode, Readable(e)),
            TimeoutException => (StatusCodes.Status503ServiceUnavailable, "The hall did not answer in time. The request may or may not have taken effect; check before retrying."),
            // Orleans gave up placing the call (its target's silo died and the cluster has not yet moved it).
            OperationCanceledException when !httpContext.RequestAborted.IsCancellationRequested =>
                (StatusCodes.Status503ServiceUnavailable, "The hall did not answer in time. The request may or may not have taken effect; check before retrying."),
            // The silo holding the hall died with the call in flight: it may have committed first.
            SiloUnavailableException =>
                (StatusCodes.Status503ServiceUnavailable, "The hall's silo stopped answering. The request may or may not have taken effect; check before retrying."),
            // A rejection may come from any hop, also on the way back.
            OrleansMessageRejectionException =>
                (StatusCodes.Status503ServiceUnavailable, "The hall's silo turned the request away. The request may or may not have taken effect; check before retrying."),
            ConnectionFailedException or GatewayTooBusyException =>
                (StatusCodes.Status503ServiceUnavailable, "The hall cannot be reached right now; nothing was changed. Try again in a few seconds."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(logger, exception.GetType().Name, exception.Message, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    /// <summary>Plain words for the framework's binding failures, which name CLR types and parameters.</summary>
    private static string Readable(BadHttpRequestException exception)
    {
        if (exception.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal)
            || exception.Message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return "This request needs a JSON body.";
        }

        var binding = BindFailure().Match(exception.Message);
        return binding.Success
            ? $"{binding.Groups["name"].Value} has an invalid value: {binding.Groups["value"].Value}."
            : exception.Message;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?:[^ "]+ )?(?<name>[^ "]+)" from "(?<value>[^"]*)"\.$""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Warning, Message = "503 on {Method} {Path}: {Type}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string type, string reason, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
