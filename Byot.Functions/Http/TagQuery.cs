using Byot.Shared.Catalog;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Http;

internal static class TagQuery
{
    /// <summary>Every <c>tag</c> query parameter (<c>?tag=team:payments&amp;tag=eu</c>): a test must carry all of them.</summary>
    public static IReadOnlyList<string> Parse(HttpRequest request) =>
        [.. request.Query["tag"].Select(t => TagParser.ParseOne(t ?? "", "tag"))];
}
