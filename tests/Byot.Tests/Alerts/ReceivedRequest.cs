using System.Text;
using System.Text.Json;

namespace Byot.Tests.Alerts;

/// <summary>One request an <see cref="HttpReceiver"/> recorded.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, string Query = "")
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
