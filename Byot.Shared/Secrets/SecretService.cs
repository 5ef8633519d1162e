using System.Text.RegularExpressions;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Secrets;

/// <summary>Write-only secrets: set, list names, delete; the runner alone decrypts them, into a run's environment.</summary>
public sealed partial class SecretService(SecretStore store, SecretCipher cipher, TestStore tests)
{
    public const int MaxValueBytes = 32 * 1024;

    public async Task PutAsync(string? testIdRaw, string? name, string value, CancellationToken cancellationToken)
    {
        var (testId, checkedName) = await CheckAsync(testIdRaw, name, cancellationToken);
        if (value.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes || value.Contains('\0', StringComparison.Ordinal))
        {
            throw P.InvalidField("value", $"A secret value must be 1 to {MaxValueBytes} bytes of UTF-8 text without NUL characters.");
        }

        await store.UpsertAsync(testId, checkedName, cipher.Encrypt(testId, checkedName, value), cancellationToken);
    }

    public async Task<IReadOnlyList<SecretView>> ListAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var testId = Ids.Parse("test", testIdRaw);
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return [.. (await store.ListAsync(testId, cancellationToken)).Select(s => new SecretView(s.Name, s.UpdatedAt))];
    }

    public async Task DeleteAsync(string? testIdRaw, string? name, CancellationToken cancellationToken)
    {
        var (testId, checkedName) = await CheckAsync(testIdRaw, name, cancellationToken);
        if (!await store.DeleteAsync(testId, checkedName, cancellationToken))
        {
            throw new Problems.ProblemException(404, "not-found", "Unknown secret", $"Test {testId} has no secret named {checkedName}.");
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

    private async Task<(Guid TestId, string Name)> CheckAsync(string? testIdRaw, string? name, CancellationToken cancellationToken)
    {
        var testId = Ids.Parse("test", testIdRaw);
        if (!cipher.IsConfigured)
        {
            throw new Problems.ProblemException(503, "secrets-disabled", "Secrets are not configured",
                "This BYOT has no Byot:Secrets:Key, so it cannot encrypt secrets. Set it to base64 of 32 random bytes (openssl rand -base64 32) on the Functions app and every Runner.");
        }

        if (name is null || !SecretName().IsMatch(name) || name.StartsWith("BYOT_", StringComparison.Ordinal))
        {
            throw P.InvalidField("name", "A secret name is an environment variable name: A-Z, 0-9 and _, starting with a letter or _, at most 64 characters, not starting with BYOT_.");
        }

        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return (testId, name);
    }

    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
