using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Middleware;

/// <summary>The one place where a kind of <see cref="DomainException"/> becomes an HTTP status. A new kind is one line
/// here; a new error of an existing kind needs nothing.</summary>
internal static class ProblemStatus
{
    public static int Of(DomainException error) => error switch
    {
        InvalidRequestException => StatusCodes.Status400BadRequest,
        UnauthorizedException => StatusCodes.Status401Unauthorized,
        NotFoundException => StatusCodes.Status404NotFound,
        ConflictException => StatusCodes.Status409Conflict,
        GoneException => StatusCodes.Status410Gone,
        TooLargeException => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaException => StatusCodes.Status415UnsupportedMediaType,
        TooManyException => StatusCodes.Status429TooManyRequests,
        UnavailableException => StatusCodes.Status503ServiceUnavailable,

        // A kind without a line above is a bug in this file, and the tests say so.
        _ => StatusCodes.Status500InternalServerError,
    };
}
