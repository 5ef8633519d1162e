namespace Byot.Shared.Options;

public sealed class SecretsOptions
{
    public const string Section = "Byot:Secrets";

    /// <summary>Base64 of 32 random bytes (for example <c>openssl rand -base64 32</c>); the AES-256-GCM key that
    /// encrypts test secrets at rest. Without it, the secrets endpoints answer 503 and no secret is stored.</summary>
    public string? Key { get; set; }
}
