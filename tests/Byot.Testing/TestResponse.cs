using System.Text;
using System.Text.Json;

namespace Byot.Testing;

/// <summary>What a function answered, read back from a real HttpResponse.</summary>
public sealed record TestResponse(int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Status} {ContentType}: {Text}";
}
