namespace Byot.Shared.Secrets;

/// <summary>What the API says of a secret: its name and when it was last set. Never its value.</summary>
public sealed record SecretView(string Name, DateTimeOffset UpdatedAt);
