namespace Byot.Shared.Uploads.Direct;

/// <summary>A block already put to an upload's staging blob (base64 id as the client chose it).</summary>
public sealed record DirectUploadBlock(string Id, long SizeBytes);
