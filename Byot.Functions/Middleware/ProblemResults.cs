using System.Text.Json;
using Byot.Shared.Problems;
using Byot.Shared.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Byot.Functions.Middleware;

/// <summary>Turns any exception into an RFC 9457 application/problem+json answer: a <see cref="DomainException"/> with
/// the status of its kind (<see cref="ProblemStatus"/>); unexpected ones say nothing internal.</summary>
internal static class ProblemResults
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static ContentResult From(Exception exception, string? instance)
    {
        var (status, code, title, detail, field, allowed) = exception switch
        {
            DomainException e => (ProblemStatus.Of(e), e.Code, e.Title, e.Message, e.Field, e.Allowed),
            OperationCanceledException => (499, "cancelled", "Request cancelled", "The client went away before the request finished.", null, null),
            _ when PostgresFaults.IsTransient(exception) => (503, "database-unavailable", "Database unavailable",
                "BYOT's database did not answer (it may be restarting). Retry in a few seconds; GET /health shows when it is back.", null, null),
            _ => (500, "internal", "Internal error", "BYOT hit an unexpected error; it is logged. Check GET /health and try again.", (string?)null, (IReadOnlyList<string>?)null),
        };

        var body = new
        {
            type = "urn:byot:problem:" + code,
            title,
            status,
            detail,
            instance,
            field,
            allowed,
        };

        return new ContentResult
        {
            StatusCode = status,
            ContentType = "application/problem+json; charset=utf-8",
            Content = JsonSerializer.Serialize(body, Json),
        };
    }
}
