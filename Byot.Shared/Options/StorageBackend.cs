namespace Byot.Shared.Options;

public enum StorageBackend
{
    Blob,
    S3,
}
