using System.Security.Cryptography;
using System.Text;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Secrets;

/// <summary>AES-256-GCM with a fresh nonce per value; the test id and secret name are bound in as associated data,
/// so a ciphertext copied onto another test or name does not decrypt.</summary>
public sealed class SecretCipher(IOptions<SecretsOptions> options)
{
    public const int KeyBytes = 32;

    public bool IsConfigured => Key() is not null;

    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return true;
        }

        var bytes = new byte[KeyBytes + 1];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var written) && written == KeyBytes;
    }

    public (byte[] Nonce, byte[] Ciphertext, byte[] Tag) Encrypt(Guid testId, string name, string value)
    {
        using var aes = new AesGcm(RequireKey(), AesGcm.TagByteSizes.MaxSize);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plain = Encoding.UTF8.GetBytes(value);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(testId, name));
        return (nonce, cipher, tag);
    }

    public string Decrypt(Guid testId, string name, byte[] nonce, byte[] ciphertext, byte[] tag)
    {
        using var aes = new AesGcm(RequireKey(), tag.Length);
        var plain = new byte[ciphertext.Length];
        aes.Decrypt(nonce, ciphertext, tag, plain, AssociatedData(testId, name));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] AssociatedData(Guid testId, string name) => Encoding.UTF8.GetBytes($"byot-secret:{testId:D}:{name}");

    private byte[]? Key() => string.IsNullOrWhiteSpace(options.Value.Key) ? null : Convert.FromBase64String(options.Value.Key.Trim());

    private byte[] RequireKey() => Key() ?? throw new InvalidOperationException("Byot:Secrets:Key is not configured.");
}
