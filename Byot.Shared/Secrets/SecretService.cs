using System.Text.RegularExpressions;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Secrets;

/// <summary>Write-only secrets: set, list names, delete; the runner alone decrypts them, into a run's environment.</summary>
public sealed partial class SecretService(SecretStore store, SecretCipher cipher, TestStore tests)
{
    public const int MaxValueBytes = 32 * 1024;

    public async Task PutAsync(Guid testId, string? name, string value, CancellationToken cancellationToken)
    {
        var checkedName = await CheckAsync(testId, name, cancellationToken);
        if (value.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes || value.Contains('\0', StringComparison.Ordinal))
        {
            throw P.InvalidField("value", $"A secret value must be 1 to {MaxValueBytes} bytes of UTF-8 text without NUL characters.");
        }

        await store.UpsertAsync(testId, checkedName, cipher.Encrypt(testId, checkedName, value), cancellationToken);
    }

    public async Task<IReadOnlyList<SecretView>> ListAsync(Guid testId, CancellationToken cancellationToken)
    {
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return [.. (await store.ListAsync(testId, cancellationToken)).Select(s => new SecretView(s.Name, s.UpdatedAt))];
    }

    public async Task DeleteAsync(Guid testId, string? name, CancellationToken cancellationToken)
    {
        var checkedName = await CheckAsync(testId, name, cancellationToken);
        if (!await store.DeleteAsync(testId, checkedName, cancellationToken))
        {
            throw new Problems.NotFoundException("not-found", "Unknown secret", $"Test {testId} has no secret named {checkedName}.");
        }
    }

    /// <summary>The decrypted secrets of a test, for the runner to put into the container's environment.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RevealForRunAsync(Guid testId, CancellationToken cancellationToken)
    {
        var sealedValues = await store.LoadAsync(testId, cancellationToken);
        if (sealedValues.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        return sealedValues.ToDictionary(s => s.Name, s => cipher.Decrypt(testId, s.Name, s.Nonce, s.Ciphertext, s.Tag), StringComparer.Ordinal);
    }

    private async Task<string> CheckAsync(Guid testId, string? name, CancellationToken cancellationToken)
    {
        if (!cipher.IsConfigured)
        {
            throw new Problems.UnavailableException("secrets-disabled", "Secrets are not configured",
                "This BYOT has no Byot:Secrets:Key, so it cannot encrypt secrets. Set it to base64 of 32 random bytes (openssl rand -base64 32) on the Functions app and every Runner.");
        }

        if (name is null || !SecretName().IsMatch(name) || name.StartsWith("BYOT_", StringComparison.Ordinal))
        {
            throw P.InvalidField("name", "A secret name is an environment variable name: A-Z, 0-9 and _, starting with a letter or _, at most 64 characters, not starting with BYOT_.");
        }

        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return name;
    }

    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
