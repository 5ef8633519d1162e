using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Http;

internal static class QueryNumber
{
    /// <summary>The query parameter as a whole number; <paramref name="fallback"/> when absent, and -1 when it is not
    /// one, so the service's range check names the parameter in its 400.</summary>
    public static int Parse(HttpRequest request, string name, int fallback)
    {
        var text = request.Query[name].ToString();
        return text.Length == 0 ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
    }
}
