namespace Byot.Cli.Bundling;

/// <summary>What gets uploaded for a test: a file on disk (the user's, or a temporary .tar.gz of a directory), the
/// name the server sees, and its sha256 (lower-case hex, as the server records it).</summary>
internal sealed class Bundle(string path, string fileName, string sha256, long length, bool temporary) : IDisposable
{
    public string Path { get; } = path;

    public string FileName { get; } = fileName;

    public string Sha256 { get; } = sha256;

    public long Length { get; } = length;

    public void Dispose()
    {
        if (temporary)
        {
            File.Delete(Path);
        }
    }
}
