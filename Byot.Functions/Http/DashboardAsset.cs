namespace Byot.Functions.Http;

/// <summary>One built dashboard file, held in memory with what the response needs to say about it.</summary>
internal sealed record DashboardAsset(byte[] Content, string ContentType, string ETag, string CacheControl);
