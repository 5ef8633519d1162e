using System.Runtime.CompilerServices;
using Byot.Shared.Problems;
using Byot.Shared.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Byot.Functions.Http;

/// <summary>Reads a multipart/form-data body part by part, straight from the request stream, so a file is never
/// buffered whole.</summary>
internal static class MultipartParts
{
    public static async IAsyncEnumerable<UploadPart> ReadAsync(HttpRequest request, long maxBodyBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var boundary = Boundary(request.ContentType);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodyBytes;
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        while (true)
        {
            MultipartSection? section;
            try
            {
                section = await reader.ReadNextSectionAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                throw Problem.BadRequest("Malformed multipart body", "The request body is not valid multipart/form-data: " + e.Message);
            }

            if (section is null)
            {
                yield break;
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                || StringSegment.IsNullOrEmpty(HeaderUtilities.RemoveQuotes(disposition.Name)))
            {
                throw Problem.BadRequest("Malformed multipart body", "Every part needs a Content-Disposition: form-data header with a name.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            var fileName = disposition.IsFileDisposition()
                ? HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? ""
                : null;
            yield return new UploadPart(name, fileName, new MultipartErrorStream(section.Body));
        }
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw Problem.UnsupportedMediaType(
                "Send the upload as multipart/form-data, for example: curl -F \"binary=@./checkout.test\" -F runtime=node -F severity=P0 …/uploadBinary");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200
            ? throw Problem.BadRequest("Malformed multipart body", "The Content-Type header has no usable multipart boundary.")
            : boundary;
    }
}
