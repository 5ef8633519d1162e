namespace Byot.Shared.Storage;

internal sealed record Migration(int Version, string Name, string Sql);
